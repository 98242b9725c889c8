//! The Excel workbook for leaders (rust_xlsxwriter): 汇总, 分类排名, 明细, 等次分布, 雷达图,
//! 整改清单, 数据问题, 说明. Deterministic for a given generation time; every text cell is
//! written as text (a name starting with `=` never becomes a formula); numbers are the same
//! rounded values `perf score` prints.

use crate::Lang;
use crate::core::correction::{Applied, Change, Correction};
use crate::core::diag::Severity;
use crate::core::exact::{AsExact, Exact};
use crate::core::import::ledger::{Issue, column_letters};
use crate::core::report::{
    CategoryProfile, Problem, category_blocks, category_profile, dimensions, grade_distribution, profile,
    radar_dimensions, rectification,
};
use crate::core::roster::Roster;
use crate::core::scheme::{Method, Scheme};
use crate::core::score::engine::{Flag, LeafDetail, SubjectScore};
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatDataBar, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet,
};
use std::collections::HashMap;

/// One input file as recorded on the 说明 sheet.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Everything the workbook shows.
pub struct ReportData<'a> {
    pub scheme: &'a Scheme,
    pub roster: &'a Roster,
    pub period: &'a str,
    pub results: &'a [SubjectScore],
    pub issues: &'a [Issue],
    pub inputs: &'a [InputFile],
    /// Unix seconds of the generation time (fixed for reproducible files).
    pub generated: i64,
    /// Subjects to draw radar charts for (all when empty).
    pub radar_subjects: &'a [String],
    pub lang: Lang,
    /// The period's corrections (复核), each with how it was applied: listed on the 说明 sheet.
    pub corrections: &'a [(Correction, Option<Applied>)],
    /// Every period of the data up to this one (this one last): the 趋势 sheet when two or more.
    pub trend: &'a [crate::core::report::PeriodResult],
}

impl ReportData<'_> {
    /// The period as a clerk writes it (2026年第一季度 / 2026 Q1).
    fn period_label(&self) -> String {
        crate::core::import::period::label(self.period, self.lang)
    }

    /// The page header and footer of every sheet.
    fn page(&self) -> Page {
        Page::new(&format!("{} · {}", self.scheme.name, self.period_label()), Some(self.generated), self.lang)
    }
}

const GRADE_FILLS: [&str; 6] = ["#C6EFCE", "#DDEBF7", "#FFF2CC", "#F8CBAD", "#E7E6E6", "#D9D2E9"];

/// Radar charts drawn when no subjects are named: more make the file slow to open.
pub const RADAR_LIMIT: usize = 200;

fn w(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The widest part of a text that a line cannot be broken inside: a run of Latin letters or
/// digits (lines break at spaces and between any two CJK characters).
fn unbreakable(s: &str) -> f64 {
    let (mut widest, mut run) = (0usize, 0usize);
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if ch.is_whitespace() || w > 1 {
            run = 0;
            widest = widest.max(w);
        } else {
            run += w;
            widest = widest.max(run);
        }
    }
    widest as f64
}

/// Display width of a text in Excel character units (CJK counts double).
fn text_width(s: &str) -> f64 {
    unicode_width::UnicodeWidthStr::width(s) as f64
}

struct Styles {
    title: Format,
    head: Format,
    text: Format,
    /// Text that wraps inside its column (explanations, evidence, file hashes).
    wrap: Format,
    num: Format,
    pct: Format,
    int: Format,
    grades: Vec<Format>,
}

impl Styles {
    fn new(precision: u32) -> Self {
        let base = Format::new().set_font_name("等线").set_font_size(11);
        let num_format = if precision == 0 { "0".to_owned() } else { format!("0.{}", "0".repeat(precision as usize)) };
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            head: cell
                .clone()
                .set_bold()
                .set_background_color("#D9E1F2")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            num: cell.clone().set_num_format(&num_format),
            pct: cell.clone().set_num_format("0.0"),
            int: cell.clone().set_num_format("0"),
            grades: GRADE_FILLS
                .iter()
                .map(|c| cell.clone().set_background_color(*c).set_align(FormatAlign::Center))
                .collect(),
        }
    }

    fn grade(&self, g: Option<usize>) -> &Format {
        g.map_or(&self.text, |g| &self.grades[g % self.grades.len()])
    }
}

/// Column widths from the longest text written in each column, and the heights of the rows
/// whose text wraps. Header cells wrap: they ask for 1/`head_lines` of their width (short
/// ones stay on one line); long texts wrap inside the width their column is given.
struct Widths {
    widths: Vec<f64>,
    /// Cells whose text wraps (headers, explanations): (row, column, full width). Their rows
    /// are made as many lines high as the longest needs: LibreOffice does not size them.
    /// A cell's lines are its text split at line breaks, each given as its width.
    wrapped: Vec<(u32, u16, Vec<f64>)>,
    /// How many lines a header may wrap onto (its column asks for 1/lines of its width), and
    /// how narrow a wrapped header's column may get.
    head_lines: u32,
    head_min: f64,
    /// How many leading columns (ids, names) repeat on every page of a sheet printed across pages.
    lead: u16,
    /// Texts merged over columns A to `last` that wrap (the title, a note): (row, last,
    /// width in 11-point units, points a line).
    spans: Vec<(u32, u16, f64, f64)>,
    /// A fixed print scale (percent) instead of the one worked out from the widths: a sheet
    /// whose layout is planned for it (the radar charts).
    scale: Option<u16>,
}

impl Default for Widths {
    fn default() -> Self {
        Widths {
            widths: Vec::new(),
            wrapped: Vec::new(),
            head_lines: 2,
            head_min: SHORT_HEAD,
            lead: 3,
            spans: Vec::new(),
            scale: None,
        }
    }
}

impl Widths {
    fn note(&mut self, col: u16, s: &str) {
        self.at_least(col, text_width(s));
    }

    fn at_least(&mut self, col: u16, width: f64) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0.0);
        }
        self.widths[c] = self.widths[c].max(width);
    }

    /// A header cell: wide enough for its longest word and 1/`head_lines` of the text.
    fn note_head(&mut self, row: u32, col: u16, s: &str) {
        let full = text_width(s);
        // A short header stays on one line; a long one wraps.
        let asked = if full <= SHORT_HEAD {
            full
        } else {
            unbreakable(s).max((full * 1.1 / f64::from(self.head_lines)).ceil()).max(self.head_min)
        };
        self.at_least(col, asked);
        self.wrapped.push((row, col, vec![full]));
    }

    /// A wrapping text cell: its column keeps its width; its row grows.
    fn note_wrapped(&mut self, row: u32, col: u16, s: &str) {
        let lines: Vec<f64> = s.split('\n').map(text_width).collect();
        self.at_least(col, lines.iter().copied().fold(0.0, f64::max));
        // One short line never wraps (a column is at least 6 wide): not kept, so a sheet of
        // many rows keeps only the cells that may need a taller row.
        if lines.len() > 1 || lines[0] > 4.0 {
            self.wrapped.push((row, col, lines));
        }
    }

    /// Narrow the widest of `columns` (their texts wrap), one unit at a time down to
    /// `min`, until the sheet prints one page wide at 80 % or more.
    fn fit_by_wrapping(&mut self, columns: &[u16], min: f64) {
        loop {
            let total: f64 = (0..self.widths.len()).map(|c| self.final_width(c)).sum();
            if total <= PRINTABLE_CHARS / 0.8 {
                return;
            }
            let widest = columns
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| c < self.widths.len() && self.widths[c] > min)
                .max_by(|&a, &b| self.widths[a].total_cmp(&self.widths[b]));
            match widest {
                Some(c) => self.widths[c] = (self.widths[c] - 1.0).max(min),
                None => return,
            }
        }
    }

    /// The width a column is given.
    fn final_width(&self, c: usize) -> f64 {
        (self.widths[c] + 2.0).clamp(6.0, 60.0)
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<()> {
        for c in 0..self.widths.len() {
            ws.set_column_width(u16::try_from(c)?, self.final_width(c))?;
        }
        // A row with wrapped text is as many lines high as its longest cell needs (calibrated
        // on LibreOffice's rendering: a CJK character is a little narrower than two digits).
        let mut lines: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for (r, c, parts) in &self.wrapped {
            let room = self.final_width(*c as usize) - 1.0;
            let n: f64 = parts.iter().map(|full| (full * 0.95 / room).ceil().max(1.0)).sum();
            let e = lines.entry(*r).or_insert(1.0);
            *e = e.max(n);
        }
        for (r, n) in lines {
            if n > 1.0 {
                ws.set_row_height(r, (n * LINE_HEIGHT + 2.0).min(MAX_ROW_HEIGHT))?;
            }
        }
        // The title and notes wrap within the width of the table under them.
        for &(row, last, full, line) in &self.spans {
            let room: f64 =
                (0..=usize::from(last)).filter(|&c| c < self.widths.len()).map(|c| self.final_width(c)).sum();
            let n = (full * 0.95 / (room - 1.0).max(1.0)).ceil().max(1.0);
            if row == 0 || n > 1.0 {
                ws.set_row_height(row, (n * line + if row == 0 { 8.0 } else { 2.0 }).min(MAX_ROW_HEIGHT))?;
            }
        }
        // Printing: one page wide when that keeps the text at 80 % or more (A4 landscape holds
        // about 105 units of column width at 100 %, measured on LibreOffice's rendering); a wider sheet prints at 80 % across
        // pages instead, repeating its first columns when they are narrow (the ids and names),
        // never shrunk to unreadable type.
        let total: f64 = (0..self.widths.len()).map(|c| self.final_width(c)).sum();
        if let Some(scale) = self.scale {
            ws.set_print_scale(scale);
        } else if total <= PRINTABLE_CHARS / 0.8 {
            ws.set_print_fit_to_pages(1, 0);
        } else {
            ws.set_print_scale(80);
            let lead = usize::from(self.lead);
            let lead_width: f64 = (0..lead.min(self.widths.len())).map(|c| self.final_width(c)).sum();
            if lead > 0 && self.widths.len() > lead && lead_width <= 45.0 {
                ws.set_repeat_columns(0, self.lead - 1)?;
            }
        }
        Ok(())
    }
}

/// Rows of 15 pt under one header row on an A4 landscape page at 100 % (487 pt of rows).
const PAGE_ROWS: u32 = 31;

/// Excel's tallest row (points): a taller one makes Excel "repair" the file. A text longer
/// than that shows its first 29 lines.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Points a line of the 14-point title takes.
const TITLE_LINE_HEIGHT: f64 = 18.0;

/// Headers up to this width (five CJK characters) are never wrapped.
const SHORT_HEAD: f64 = 10.0;

/// Points a line of 11-point text takes in a row (CJK fonts are taller than Latin ones).
const LINE_HEIGHT: f64 = 14.0;

/// The column width (Excel's units) an A4 landscape page holds at 100 %: measured by rendering
/// a report through LibreOffice (a sheet of 191 units printed one page wide came out at 55 %).
const PRINTABLE_CHARS: f64 = 105.0;

/// What every printed page says: the title in the page header; the generation time (local,
/// with its offset) and 第 N 页，共 M 页 in the footer.
struct Page {
    title: String,
    generated: String,
    lang: Lang,
}

impl Page {
    /// `generated`: Unix seconds, or None for a workbook that prints no generation time.
    fn new(title: &str, generated: Option<i64>, lang: Lang) -> Page {
        let time = generated
            .and_then(|g| jiff::Timestamp::from_second(g).ok())
            .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M %:z").to_string())
            .unwrap_or_default();
        // Excel limits a header to 255 characters; `&` starts a code there.
        let title: String = title.chars().take(120).collect::<String>().replace('&', "&&");
        Page { title, generated: time, lang }
    }
}

/// A4 landscape, the page header and footer, and `repeat` (first, last row) printed at the top
/// of every page. How wide a page is printed is decided with the column widths
/// ([`Widths::apply`]).
fn page_setup(ws: &mut Worksheet, page: &Page, repeat: Option<(u32, u32)>) -> Result<()> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_header(format!("&C{}", page.title));
    let footer = match (page.lang, page.generated.is_empty()) {
        (Lang::Zh, false) => format!("&L生成时间 {}&R第 &P 页，共 &N 页", page.generated),
        (Lang::En, false) => format!("&LGenerated {}&RPage &P of &N", page.generated),
        (Lang::Zh, true) => "&R第 &P 页，共 &N 页".to_owned(),
        (Lang::En, true) => "&RPage &P of &N".to_owned(),
    };
    ws.set_footer(footer);
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

fn text(ws: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
    ws.write_string_with_format(row, col, s, f)?;
    widths.note(col, s);
    Ok(())
}

/// The sheet's title in row 0, merged over columns A to `last`, wrapping when the table is
/// narrower than the title.
fn title_row(ws: &mut Worksheet, widths: &mut Widths, last: u16, title: &str, st: &Styles) -> Result<()> {
    span(ws, 0, last, title, &st.title)?;
    widths.spans.push((0, last, text_width(title) * 14.0 / 11.0, TITLE_LINE_HEIGHT));
    Ok(())
}

/// A note in `row` merged over columns A to `last`, wrapping within them.
fn note_row(ws: &mut Worksheet, widths: &mut Widths, row: u32, last: u16, note: &str, st: &Styles) -> Result<()> {
    span(ws, row, last, note, &st.wrap)?;
    widths.spans.push((row, last, text_width(note), LINE_HEIGHT));
    Ok(())
}

fn span(ws: &mut Worksheet, row: u32, last: u16, s: &str, f: &Format) -> Result<()> {
    if last == 0 {
        ws.write_string_with_format(row, 0, s, f)?;
    } else {
        ws.merge_range(row, 0, row, last, s, f)?;
    }
    Ok(())
}

/// An amount of yuan (#,##0.00), its column wide enough for it as shown.
fn money_cell(ws: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, yuan: Decimal, f: &Format) -> Result<()> {
    ws.write_number_with_format(row, col, w(yuan), f)?;
    widths.note(col, &money_text(yuan));
    Ok(())
}

/// An amount as `#,##0.00` shows it: 1,234,567.80.
fn money_text(yuan: Decimal) -> String {
    let plain = format!("{:.2}", yuan.round_dp(2));
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{frac}")
}

/// Text that wraps inside its column; its row is made tall enough.
fn wrap_text(ws: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, s: &str, st: &Styles) -> Result<()> {
    ws.write_string_with_format(row, col, s, &st.wrap)?;
    widths.note_wrapped(row, col, s);
    Ok(())
}

/// A column header (wraps onto a second line rather than widening its column).
fn head_cell(ws: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, s: &str, st: &Styles) -> Result<()> {
    ws.write_string_with_format(row, col, s, &st.head)?;
    widths.note_head(row, col, s);
    Ok(())
}

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

/// Build the workbook; the bytes of the .xlsx file.
pub fn build(d: &ReportData<'_>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // Excel's own level: about 30 % faster than the default 6 for a file ~5 % larger.
    wb.set_zip_compression_level(3);
    let created = ExcelDateTime::from_timestamp(d.generated)?;
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&created).set_title(&d.scheme.name).set_author("perf"),
    );
    let st = Styles::new(d.scheme.precision);
    let names = sheet_names(d.lang);
    summary(&mut wb, d, &st, names[0])?;
    by_category(&mut wb, d, &st, names[1])?;
    if d.trend.len() >= 2 {
        trend(&mut wb, d, &st, tr(d.lang, "趋势", "Trend"))?;
    }
    detail(&mut wb, d, &st, names[2])?;
    grades(&mut wb, d, &st, names[3])?;
    radar(&mut wb, d, &st, names[4])?;
    rectify(&mut wb, d, &st, names[5])?;
    issues(&mut wb, d, &st, names[6])?;
    about(&mut wb, d, &st, names[7])?;
    Ok(wb.save_to_buffer()?)
}

/// The public version (`perf report --public`): one sheet of the results in rank order with the
/// columns perf.toml's `[public]` declares — no evaluator, raw value or data-problem detail —
/// saying that it is the public version.
pub fn build_public(d: &ReportData<'_>, columns: &[crate::io::workspace::PublicColumn]) -> Result<Vec<u8>> {
    use crate::io::workspace::PublicColumn as C;
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    let created = ExcelDateTime::from_timestamp(d.generated)?;
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&created).set_title(&d.scheme.name).set_author("perf"),
    );
    let st = Styles::new(d.scheme.precision);
    let lang = d.lang;
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "考核结果（公开版）", "Results (public)"))?;
    page_setup(ws, &d.page(), Some((2, 2)))?;
    let dims = dimensions(d.scheme);
    let mut head: Vec<String> = Vec::new();
    for c in columns {
        match c {
            C::Rank => head.push(tr(lang, "排名", "Rank").to_owned()),
            C::Id => head.push(tr(lang, "编号", "ID").to_owned()),
            C::Name => head.push(tr(lang, "名称", "Name").to_owned()),
            C::Category => head.push(tr(lang, "类别", "Category").to_owned()),
            C::Score => head.push(tr(lang, "得分", "Score").to_owned()),
            C::CategoryRank => head.push(tr(lang, "类别排名", "Category rank").to_owned()),
            C::Grade => head.push(tr(lang, "等次", "Grade").to_owned()),
            C::Points => head.extend(dims.iter().map(|&i| d.scheme.indicators[i].name.clone())),
        }
    }
    let mut widths = Widths::default();
    let last = u16::try_from(head.len().max(1) - 1)?;
    let title = format!(
        "{} · {} · {}",
        d.scheme.name,
        d.period_label(),
        tr(lang, "考核结果（公开版）", "results (public version)")
    );
    title_row(ws, &mut widths, last, &title, &st)?;
    let note = tr(
        lang,
        "本表为公开版，只列考核结果；不含评价人、原始分值和数据问题。",
        "The public version: results only, without evaluators, raw values or data problems.",
    );
    note_row(ws, &mut widths, 1, last, note, &st)?;
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 2, u16::try_from(c)?, h, &st)?;
    }
    for (k, r) in ranked(d.results).into_iter().enumerate() {
        let row = 3 + u32::try_from(k)?;
        let subj = &d.roster.subjects[r.subject];
        let mut col = 0u16;
        for c in columns {
            match c {
                C::Rank => rank_cell(ws, row, col, r.rank, &st)?,
                C::Id => text(ws, &mut widths, row, col, &subj.id, &st.text)?,
                C::Name => text(ws, &mut widths, row, col, &subj.name, &st.text)?,
                C::Category => text(ws, &mut widths, row, col, &category_name(d, r), &st.text)?,
                C::Score => {
                    ws.write_number_with_format(row, col, rounded(d, r.score), &st.num)?;
                }
                C::CategoryRank => rank_cell(ws, row, col, r.category_rank, &st)?,
                C::Grade => {
                    let grade =
                        if r.complete { grade_name(d, r.grade) } else { tr(lang, "待补", "incomplete").to_owned() };
                    text(ws, &mut widths, row, col, &grade, &st.text)?;
                }
                C::Points => {
                    for (j, &i) in dims.iter().enumerate() {
                        let c = col + u16::try_from(j)?;
                        match &r.points[i] {
                            Some(p) => ws.write_number_with_format(row, c, rounded(d, p), &st.num)?,
                            None => ws.write_blank(row, c, &st.text)?,
                        };
                    }
                    col += u16::try_from(dims.len())?;
                    continue;
                }
            }
            col += 1;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(3, 0)?;
    Ok(wb.save_to_buffer()?)
}

/// The sheet names, in order.
pub fn sheet_names(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => ["汇总", "分类排名", "明细", "等次分布", "雷达图", "整改清单", "数据问题", "说明"],
        Lang::En => ["Summary", "By category", "Detail", "Grades", "Profiles", "Rectification", "Issues", "About"],
    }
}

fn ranked(results: &[SubjectScore]) -> Vec<&SubjectScore> {
    let mut v: Vec<&SubjectScore> = results.iter().collect();
    v.sort_by_key(|r| (r.rank.is_none(), r.rank, r.subject));
    v
}

/// A rank cell: the number, or blank for an incomplete subject (not ranked).
fn rank_cell(ws: &mut Worksheet, row: u32, col: u16, rank: Option<usize>, st: &Styles) -> Result<()> {
    match rank {
        Some(k) => ws.write_number_with_format(row, col, k as f64, &st.int)?,
        None => ws.write_blank(row, col, &st.text)?,
    };
    Ok(())
}

/// A grade cell: the grade in its colour, or 待补 in plain text for an incomplete subject.
fn grade_cell(
    ws: &mut Worksheet,
    widths: &mut Widths,
    row: u32,
    col: u16,
    d: &ReportData<'_>,
    r: &SubjectScore,
    st: &Styles,
) -> Result<()> {
    if r.complete {
        text(ws, widths, row, col, &grade_name(d, r.grade), st.grade(r.grade))
    } else {
        text(ws, widths, row, col, tr(d.lang, "待补", "incomplete"), &st.text)
    }
}

fn category_name(d: &ReportData<'_>, r: &SubjectScore) -> String {
    r.category.map_or_else(String::new, |c| d.scheme.categories[c].name.clone())
}

fn grade_name(d: &ReportData<'_>, g: Option<usize>) -> String {
    g.map_or_else(String::new, |g| d.scheme.grades.levels[g].name.clone())
}

fn rounded(d: &ReportData<'_>, x: impl AsExact) -> f64 {
    w(x.as_exact().round(d.scheme.precision))
}

/// A subject's flags in words, one kind a line: a single flag in full (缺值 G1.1/leader),
/// several of a kind counted (人数少未去极值 ×4); each is listed in full on 数据问题, and the
/// CSV and JSON keep the codes.
fn flag_lines(flags: &[Flag], lang: Lang) -> String {
    let mut kinds: Vec<(&str, Vec<&Flag>)> = Vec::new();
    for f in flags {
        let kind = f.kind_label(lang);
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, all)) => all.push(f),
            None => kinds.push((kind, vec![f])),
        }
    }
    let lines: Vec<String> = kinds
        .into_iter()
        .map(|(kind, all)| if all.len() == 1 { all[0].label(lang) } else { format!("{kind} ×{}", all.len()) })
        .collect();
    lines.join("\n")
}

fn summary(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((1, 1)))?;
    let lang = d.lang;
    let dims = dimensions(d.scheme);
    let mut head: Vec<String> = [
        tr(lang, "排名", "Rank"),
        tr(lang, "编号", "ID"),
        tr(lang, "名称", "Name"),
        tr(lang, "类别", "Category"),
        tr(lang, "得分", "Score"),
        tr(lang, "等次", "Grade"),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    head.extend(dims.iter().map(|&i| d.scheme.indicators[i].name.clone()));
    head.extend(
        [
            tr(lang, "加分", "Bonus"),
            tr(lang, "扣分", "Deduction"),
            tr(lang, "否决", "Veto"),
            tr(lang, "完整", "Complete"),
            tr(lang, "标记", "Flags"),
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    let last_col = u16::try_from(head.len() - 1)?;
    let title = format!("{} · {} · {}", d.scheme.name, d.period_label(), tr(lang, "考核结果汇总", "results"));
    let mut widths = Widths::default();
    title_row(ws, &mut widths, last_col, &title, st)?;
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 1, u16::try_from(c)?, h, st)?;
    }
    let rows = ranked(d.results);
    let mut flags_col = 0;
    // The ranked subjects, then the incomplete ones as their own block under a heading: they
    // have no rank and no grade until their data is complete.
    let complete = rows.iter().filter(|r| r.complete).count();
    let last_ranked = u32::try_from(complete)? + 1;
    let mut row = 1u32;
    for (k, r) in rows.iter().enumerate() {
        row += 1;
        if k == complete {
            row += 1;
            let heading = match lang {
                Lang::Zh => format!(
                    "待补（数据不完整）：以下 {} 个对象不排名、不定等次，补齐数据后重新计分",
                    rows.len() - complete
                ),
                Lang::En => format!(
                    "Incomplete: these {} subjects are neither ranked nor graded until their data is complete",
                    rows.len() - complete
                ),
            };
            span(ws, row, last_col, &heading, &st.head)?;
            row += 1;
        }
        let subj = &d.roster.subjects[r.subject];
        rank_cell(ws, row, 0, r.rank, st)?;
        text(ws, &mut widths, row, 1, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 2, &subj.name, &st.text)?;
        text(ws, &mut widths, row, 3, &category_name(d, r), &st.text)?;
        ws.write_number_with_format(row, 4, rounded(d, r.score), &st.num)?;
        grade_cell(ws, &mut widths, row, 5, d, r, st)?;
        let mut c = 6u16;
        for &i in &dims {
            match &r.points[i] {
                Some(p) => {
                    ws.write_number_with_format(row, c, rounded(d, p), &st.num)?;
                }
                None => {
                    ws.write_blank(row, c, &st.text)?;
                }
            }
            c += 1;
        }
        ws.write_number_with_format(row, c, rounded(d, &r.bonus), &st.num)?;
        ws.write_number_with_format(row, c + 1, rounded(d, &r.deduction), &st.num)?;
        let veto: Vec<String> = r
            .flags
            .iter()
            .filter_map(|f| if let Flag::Vetoed { indicator } = f { Some(indicator.clone()) } else { None })
            .collect();
        text(ws, &mut widths, row, c + 2, &veto.join(";"), &st.text)?;
        let complete = if r.complete { tr(lang, "是", "yes") } else { tr(lang, "否", "no") };
        text(ws, &mut widths, row, c + 3, complete, &st.text)?;
        wrap_text(ws, &mut widths, row, c + 4, &flag_lines(&r.flags, lang), st)?;
        flags_col = c + 4;
    }
    if complete > 0 {
        ws.add_conditional_format(2, 4, last_ranked, 4, &ConditionalFormatDataBar::new())?;
    }
    ws.autofilter(1, 0, last_ranked, last_col)?;
    ws.set_freeze_panes(2, 3)?;
    widths.note(4, "000.00");
    widths.fit_by_wrapping(&[flags_col], 16.0);
    widths.apply(ws)?;
    ws.set_repeat_rows(0, 1)?;
    Ok(())
}

fn by_category(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    // One header row, printed at the top of every page.
    page_setup(ws, &d.page(), Some((0, 0)))?;
    let lang = d.lang;
    let mut widths = Widths::default();
    let mut row = 1u32;
    let head = [
        tr(lang, "类别排名", "Rank"),
        tr(lang, "编号", "ID"),
        tr(lang, "名称", "Name"),
        tr(lang, "得分", "Score"),
        tr(lang, "等次", "Grade"),
        tr(lang, "总排名", "Overall"),
    ];
    header_row(ws, &mut widths, 0, &head, st)?;
    // A page holds about 31 rows under the header at 100 %: a block that fits a page but not
    // what is left of this one starts the next page.
    let mut breaks = Vec::new();
    let mut page_top = 1u32;
    for block in category_blocks(d.scheme, d.results) {
        let rows = u32::try_from(block.members.len())? + 1;
        if row > page_top && row + rows - page_top > PAGE_ROWS && rows <= PAGE_ROWS {
            breaks.push(row);
            page_top = row;
        }
        let cat = block
            .category
            .map_or_else(|| tr(lang, "未分类", "uncategorised").to_owned(), |c| d.scheme.categories[c].name.clone());
        let stats = match lang {
            Lang::Zh => format!(
                "{cat}（{} 个）　平均 {}　最高 {}　最低 {}",
                block.members.len(),
                crate::core::score::engine::show(&block.average, d.scheme.precision),
                crate::core::score::engine::show(block.max, d.scheme.precision),
                crate::core::score::engine::show(block.min, d.scheme.precision)
            ),
            Lang::En => format!(
                "{cat} ({})  average {}  max {}  min {}",
                block.members.len(),
                crate::core::score::engine::show(&block.average, d.scheme.precision),
                crate::core::score::engine::show(block.max, d.scheme.precision),
                crate::core::score::engine::show(block.min, d.scheme.precision)
            ),
        };
        ws.merge_range(row, 0, row, 5, &stats, &st.head)?;
        row += 1;
        for &i in &block.members {
            let r = &d.results[i];
            let subj = &d.roster.subjects[r.subject];
            rank_cell(ws, row, 0, r.category_rank, st)?;
            text(ws, &mut widths, row, 1, &subj.id, &st.text)?;
            text(ws, &mut widths, row, 2, &subj.name, &st.text)?;
            ws.write_number_with_format(row, 3, rounded(d, r.score), &st.num)?;
            grade_cell(ws, &mut widths, row, 4, d, r, st)?;
            rank_cell(ws, row, 5, r.rank, st)?;
            row += 1;
        }
        row += 1;
        // A block longer than a page is broken by LibreOffice itself, every PAGE_ROWS rows.
        while row - page_top > PAGE_ROWS {
            page_top += PAGE_ROWS;
        }
    }
    ws.set_page_breaks(&breaks)?;
    widths.apply(ws)?;
    Ok(())
}

/// Leaves grouped under their top-level indicator, in tree order.
fn leaf_groups(scheme: &Scheme) -> Vec<(usize, Vec<usize>)> {
    scheme
        .roots()
        .map(|root| {
            let mut leaves = Vec::new();
            let mut stack = vec![root];
            while let Some(i) = stack.pop() {
                let ind = &scheme.indicators[i];
                if ind.children.is_empty() {
                    leaves.push(i);
                } else {
                    stack.extend(ind.children.iter().rev());
                }
            }
            (root, leaves)
        })
        .collect()
}

fn detail(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((1, 2)))?;
    let lang = d.lang;
    // Many narrow number columns: their headers wrap onto up to four lines.
    let mut widths = Widths { head_lines: 4, head_min: 7.0, ..Widths::default() };
    let groups = leaf_groups(d.scheme);
    let fixed = [tr(lang, "编号", "ID"), tr(lang, "名称", "Name"), tr(lang, "类别", "Category")];
    // Block 1: points, with the dimension over its indicators.
    let title =
        format!("{} · {} · {}", d.scheme.name, d.period_label(), tr(lang, "指标得分明细", "points by indicator"));
    let leaf_count: usize = groups.iter().map(|g| g.1.len()).sum();
    title_row(ws, &mut widths, u16::try_from(fixed.len() + leaf_count - 1)?, &title, st)?;
    for (c, h) in fixed.iter().enumerate() {
        let c = u16::try_from(c)?;
        ws.merge_range(1, c, 2, c, h, &st.head)?;
        widths.note(c, h);
    }
    let mut col = u16::try_from(fixed.len())?;
    let mut leaf_cols = Vec::new();
    for (root, leaves) in &groups {
        let n = u16::try_from(leaves.len())?;
        let dim = &d.scheme.indicators[*root].name;
        if n > 1 {
            ws.merge_range(1, col, 1, col + n - 1, dim, &st.head)?;
        } else {
            head_cell(ws, &mut widths, 1, col, dim, st)?;
        }
        for (k, &l) in leaves.iter().enumerate() {
            let ind = &d.scheme.indicators[l];
            let h = format!("{} {}", ind.code, ind.name);
            head_cell(ws, &mut widths, 2, col + u16::try_from(k)?, &h, st)?;
            leaf_cols.push((col + u16::try_from(k)?, l));
        }
        col += n;
    }
    let rows = ranked(d.results);
    let mut row = 3u32;
    for r in &rows {
        let subj = &d.roster.subjects[r.subject];
        text(ws, &mut widths, row, 0, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 1, &subj.name, &st.text)?;
        text(ws, &mut widths, row, 2, &category_name(d, r), &st.text)?;
        for &(c, l) in &leaf_cols {
            match &r.leaves[l] {
                Some(leaf) if d.scheme.indicators[l].in_base() => {
                    ws.write_number_with_format(row, c, rounded(d, &leaf.points), &st.num)?;
                }
                Some(leaf) => {
                    // outside the base: the amount (bonus, deduction) or the veto
                    let v = match &leaf.detail {
                        LeafDetail::Count { amount, .. } => rounded(d, amount),
                        LeafDetail::Veto { vetoed } => f64::from(u8::from(*vetoed)),
                        _ => 0.0,
                    };
                    ws.write_number_with_format(row, c, v, &st.num)?;
                }
                None => {
                    ws.write_blank(row, c, &st.text)?;
                }
            }
        }
        row += 1;
    }
    // Block 2: raw values and each rater's mean.
    row += 1;
    let title2 = tr(lang, "原始值与各评价主体均值", "raw values and each rater's mean");
    ws.merge_range(row, 0, row, 2, title2, &st.head)?;
    row += 1;
    let mut raw_cols: Vec<(usize, Option<usize>)> = Vec::new();
    for (root_leaves, _) in groups.iter().map(|g| (&g.1, ())) {
        for &l in root_leaves {
            match &d.scheme.indicators[l].method {
                Some(Method::Rating { raters, .. }) => raw_cols.extend(raters.iter().map(|(r, _)| (l, Some(*r)))),
                _ => raw_cols.push((l, None)),
            }
        }
    }
    for (c, h) in fixed.iter().enumerate() {
        head_cell(ws, &mut widths, row, u16::try_from(c)?, h, st)?;
    }
    for (k, (l, rater)) in raw_cols.iter().enumerate() {
        let ind = &d.scheme.indicators[*l];
        let h = match rater {
            Some(r) => format!("{} {}{}", ind.code, d.scheme.raters[*r].name, tr(lang, "均值", " mean")),
            None => format!("{} {}", ind.code, tr(lang, "值", "value")),
        };
        head_cell(ws, &mut widths, row, u16::try_from(fixed.len() + k)?, &h, st)?;
    }
    row += 1;
    for r in &rows {
        let subj = &d.roster.subjects[r.subject];
        text(ws, &mut widths, row, 0, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 1, &subj.name, &st.text)?;
        text(ws, &mut widths, row, 2, &category_name(d, r), &st.text)?;
        for (k, (l, rater)) in raw_cols.iter().enumerate() {
            let c = u16::try_from(fixed.len() + k)?;
            let value = r.leaves[*l].as_ref().and_then(|leaf| match (&leaf.detail, rater) {
                (LeafDetail::Rating { parts, .. }, Some(x)) => {
                    parts.iter().find(|p| p.rater == *x).and_then(|p| p.mean.clone())
                }
                (LeafDetail::Value { value, .. } | LeafDetail::Ranking { value, .. }, None) => value.map(Exact::from),
                (LeafDetail::Count { count, .. }, None) => Some(Exact::from(*count)),
                (LeafDetail::Veto { vetoed }, None) => Some(Exact::from(u32::from(*vetoed))),
                _ => None,
            });
            match value {
                Some(v) => ws.write_number_with_format(row, c, w(v.round(4)), &st.text)?,
                None => ws.write_blank(row, c, &st.text)?,
            };
        }
        row += 1;
    }
    ws.set_freeze_panes(3, 2)?;
    widths.apply(ws)?;
    Ok(())
}

fn grades(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((0, 0)))?;
    let lang = d.lang;
    let mut widths = Widths::default();
    let levels = &d.scheme.grades.levels;
    let dist = grade_distribution(d.scheme, d.roster, d.results);
    head_cell(ws, &mut widths, 0, 0, tr(lang, "名额池", "Pool"), st)?;
    head_cell(ws, &mut widths, 0, 1, tr(lang, "人数", "Size"), st)?;
    for (g, l) in levels.iter().enumerate() {
        let c = u16::try_from(2 + g * 3)?;
        head_cell(ws, &mut widths, 0, c, &l.name, st)?;
        head_cell(ws, &mut widths, 0, c + 1, &format!("{}{}", l.name, tr(lang, "占比%", " share %")), st)?;
        head_cell(ws, &mut widths, 0, c + 2, &format!("{}{}", l.name, tr(lang, "名额", " places")), st)?;
    }
    // Incomplete subjects are counted apart, never as a grade; shares are of those graded.
    let apart = u16::try_from(2 + levels.len() * 3)?;
    head_cell(ws, &mut widths, 0, apart, tr(lang, "待补（数据不完整）", "Incomplete"), st)?;
    for (k, p) in dist.iter().enumerate() {
        let row = u32::try_from(k)? + 1;
        let pool = if p.pool.is_empty() { tr(lang, "全部", "all").to_owned() } else { p.pool.clone() };
        text(ws, &mut widths, row, 0, &pool, &st.text)?;
        ws.write_number_with_format(row, 1, p.size as f64, &st.int)?;
        ws.write_number_with_format(row, apart, p.incomplete as f64, &st.int)?;
        let graded = (p.size - p.incomplete).max(1) as f64;
        for (g, (count, places)) in p.levels.iter().enumerate() {
            let c = u16::try_from(2 + g * 3)?;
            ws.write_number_with_format(row, c, *count as f64, &st.int)?;
            ws.write_number_with_format(row, c + 1, *count as f64 * 100.0 / graded, &st.pct)?;
            match places {
                Some(n) => ws.write_number_with_format(row, c + 2, *n as f64, &st.int)?,
                None => ws.write_string_with_format(row, c + 2, tr(lang, "不限", "no cap"), &st.text)?,
            };
        }
    }
    let last = u32::try_from(dist.len())?;
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(tr(lang, "等次分布（人数）", "Grades (people)"));
    // Counts of people: whole numbers on the axis, never half a person.
    let most = dist.iter().flat_map(|p| p.levels.iter().map(|(n, _)| *n)).max().unwrap_or(1).max(1);
    chart.y_axis().set_num_format("0").set_min(0).set_major_unit(most.div_ceil(10).max(1) as f64);
    for g in 0..levels.len() {
        let c = u16::try_from(2 + g * 3)?;
        chart.add_series().set_name((name, 0, c)).set_categories((name, 1, 0, last.max(1), 0)).set_values((
            name,
            1,
            c,
            last.max(1),
            c,
        ));
    }
    chart.set_width(720).set_height(360);
    ws.insert_chart(last + 2, 0, &chart)?;
    widths.apply(ws)?;
    Ok(())
}

fn radar(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), None)?;
    let lang = d.lang;
    let chosen: Vec<&SubjectScore> = ranked(d.results)
        .into_iter()
        .filter(|r| {
            let s = &d.roster.subjects[r.subject];
            if d.radar_subjects.is_empty() { true } else { d.radar_subjects.iter().any(|x| *x == s.id || *x == s.name) }
        })
        .take(if d.radar_subjects.is_empty() { RADAR_LIMIT } else { usize::MAX })
        .collect();
    // The data: one block per subject in columns A–C (dimension, subject %, category average %).
    let mut widths = Widths::default();
    let note = if chosen.len() < d.results.len() && d.radar_subjects.is_empty() {
        match lang {
            Lang::Zh => format!("按排名列出前 {} 个对象；用 --subjects 指定其他对象", chosen.len()),
            Lang::En => format!("the first {} subjects by rank; choose others with --subjects", chosen.len()),
        }
    } else {
        tr(
            lang,
            "各维度得分占该维度分值的百分比，与本类别的平均和最高比较",
            "each dimension as % of its points, against the category's average and best",
        )
        .to_owned()
    };
    // Printed at a fixed 85 % (a page holds about 123 column units): the columns A–D (about
    // 64 units) and the chart beside them (about 45) fit a page's width, and two blocks
    // (2 × 16 rows of 15 pt) its height (487 pt of rows at 100 %, 573 at 85 %) — so no chart
    // is ever cut by a page break.
    widths.scale = Some(RADAR_SCALE);
    note_row(ws, &mut widths, 0, 3, &note, st)?;
    // One block per subject: its data in columns A–D (dimension, the subject, the category's
    // average and best, as % of the points) and its chart beside it, as tall as the chart, so
    // data and chart stay side by side; two blocks a printed page, never split by a page break.
    // Each category's axes and reference profiles, worked out once (not once per chart).
    let mut axes: HashMap<Option<usize>, (Vec<usize>, CategoryProfile)> = HashMap::new();
    for r in &chosen {
        axes.entry(r.category).or_insert_with(|| {
            let dims = radar_dimensions(d.scheme, r.category);
            let refs = category_profile(d.scheme, d.results, r.category, &dims);
            (dims, refs)
        });
    }
    let most = axes.values().map(|(dims, _)| dims.len()).max().unwrap_or(0);
    let block = u32::try_from(most + 2)?.max(RADAR_ROWS);
    let mut breaks = Vec::new();
    for (k, r) in chosen.iter().enumerate() {
        let top = 2 + u32::try_from(k)? * block;
        if k > 0 && k % 2 == 0 {
            // A break above the block's first row: the block and its chart start the page.
            breaks.push(top);
        }
        let (dims, refs) = &axes[&r.category];
        let applicable: Vec<usize> = (0..dims.len()).collect();
        let subj = &d.roster.subjects[r.subject];
        text(ws, &mut widths, top, 0, &format!("{} {}", subj.id, subj.name), &st.head)?;
        head_cell(ws, &mut widths, top, 1, tr(lang, "得分", "score"), st)?;
        head_cell(ws, &mut widths, top, 2, tr(lang, "类别平均", "category average"), st)?;
        head_cell(ws, &mut widths, top, 3, tr(lang, "类别最高", "category best"), st)?;
        let mine = profile(d.scheme, r, dims);
        for (n, &j) in applicable.iter().enumerate() {
            let i = dims[j];
            let row = top + 1 + u32::try_from(n)?;
            text(ws, &mut widths, row, 0, &d.scheme.indicators[i].name, &st.text)?;
            for (col, value) in [(1, &mine[j]), (2, &refs.average[j]), (3, &refs.best[j])] {
                match value {
                    Some(v) => ws.write_number_with_format(row, col, w(v.round(1)), &st.pct)?,
                    None => ws.write_blank(row, col, &st.text)?,
                };
            }
        }
        let (first, last) = (top + 1, top + u32::try_from(applicable.len().max(1))?);
        let mut chart = Chart::new(ChartType::RadarWithMarkers);
        chart.title().set_name(&format!(
            "{} {} · {}",
            subj.id,
            subj.name,
            crate::core::score::engine::show(r.score, d.scheme.precision)
        ));
        for col in 1..=3u16 {
            chart
                .add_series()
                .set_name((name, top, col))
                .set_categories((name, first, 0, last, 0))
                .set_values((name, first, col, last, col));
        }
        // The same 0–100 scale on every chart (a share of each dimension's points), so shapes
        // compare and a low score never looks like zero.
        chart.y_axis().set_min(0).set_max(100).set_major_unit(20);
        chart.legend().set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        chart.set_width(RADAR_WIDTH).set_height(RADAR_ROWS * 20 - 10);
        ws.insert_chart(top, 4, &chart)?;
    }
    ws.set_page_breaks(&breaks)?;
    widths.apply(ws)?;
    Ok(())
}

/// The 趋势 sheet: each subject's score and rank in every period of the data up to this one,
/// the change since the previous period (exact, then rounded), a sparkline of the scores, and
/// per category the biggest risers and fallers.
fn trend(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((1, 1)))?;
    let lang = d.lang;
    let dp = d.scheme.precision;
    let mut widths = Widths::default();
    let periods: Vec<String> = d.trend.iter().map(|p| crate::core::import::period::label(&p.period, lang)).collect();
    let n = u16::try_from(periods.len())?;
    let mut head: Vec<String> =
        [tr(lang, "编号", "ID"), tr(lang, "名称", "Name"), tr(lang, "类别", "Category")].map(str::to_owned).to_vec();
    head.extend(periods.iter().map(|p| format!("{p}{}", tr(lang, " 得分", " score"))));
    head.extend(periods.iter().map(|p| format!("{p}{}", tr(lang, " 排名", " rank"))));
    head.extend(
        [tr(lang, "得分较上期", "Score change"), tr(lang, "名次较上期", "Places moved"), tr(lang, "走势", "Trend")]
            .map(str::to_owned),
    );
    let title = format!(
        "{} · {} · {}",
        d.scheme.name,
        d.period_label(),
        tr(lang, "各期得分与排名", "scores and ranks by period")
    );
    title_row(ws, &mut widths, u16::try_from(head.len() - 1)?, &title, st)?;
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 1, u16::try_from(c)?, h, st)?;
    }
    let (first_score, first_rank) = (3u16, 3 + n);
    let (change_col, moved_col, spark_col) = (3 + 2 * n, 4 + 2 * n, 5 + 2 * n);
    let (now, before) = (&d.trend[d.trend.len() - 1], &d.trend[d.trend.len() - 2]);
    // (category, id name, exact change) of every subject with both periods.
    let mut changes: Vec<(Option<usize>, String, Exact)> = Vec::new();
    for (k, r) in ranked(d.results).into_iter().enumerate() {
        let row = 2 + u32::try_from(k)?;
        let subj = &d.roster.subjects[r.subject];
        text(ws, &mut widths, row, 0, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 1, &subj.name, &st.text)?;
        text(ws, &mut widths, row, 2, &category_name(d, r), &st.text)?;
        for (j, p) in d.trend.iter().enumerate() {
            let j = u16::try_from(j)?;
            match p.scores.get(&subj.id) {
                Some((_, score, rank)) => {
                    ws.write_number_with_format(row, first_score + j, w(*score), &st.num)?;
                    match rank {
                        Some(k) => ws.write_number_with_format(row, first_rank + j, *k as f64, &st.int)?,
                        None => {
                            ws.write_string_with_format(row, first_rank + j, tr(lang, "待补", "incomplete"), &st.text)?
                        }
                    };
                }
                None => {
                    ws.write_blank(row, first_score + j, &st.text)?;
                    ws.write_blank(row, first_rank + j, &st.text)?;
                }
            }
        }
        if let (Some((e1, _, r1)), Some((e0, _, r0))) = (now.scores.get(&subj.id), before.scores.get(&subj.id)) {
            let change = e1 - e0;
            ws.write_number_with_format(row, change_col, w(change.round(dp)), &st.num)?;
            if let (Some(r1), Some(r0)) = (r1, r0) {
                ws.write_number_with_format(row, moved_col, *r0 as f64 - *r1 as f64, &st.int)?;
            }
            changes.push((r.category, format!("{} {}", subj.id, subj.name), change));
        }
        let spark = rust_xlsxwriter::Sparkline::new()
            .set_range((name, row, first_score, row, first_score + n - 1))
            .show_markers(true);
        ws.add_sparkline(row, spark_col, &spark)?;
    }
    // Per category: the three biggest risers and fallers since the previous period.
    let mut row = 3 + u32::try_from(d.results.len())?;
    let heading =
        tr(lang, "各类别进步最大、退步最大的对象（较上期）", "Biggest risers and fallers since the previous period");
    note_row(ws, &mut widths, row, 2, heading, st)?;
    row += 1;
    let mut categories: Vec<Option<usize>> = changes.iter().map(|c| c.0).collect();
    categories.sort_unstable();
    categories.dedup();
    for c in categories {
        let mut members: Vec<&(Option<usize>, String, Exact)> = changes.iter().filter(|x| x.0 == c).collect();
        members.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
        let show = |x: &&(Option<usize>, String, Exact)| {
            let v = x.2.round(dp);
            let (open, close) = if lang == Lang::Zh { ("（", "）") } else { (" (", ")") };
            let sign = if v > Decimal::ZERO { "+" } else { "" };
            format!("{}{open}{sign}{}{close}", x.1, crate::core::score::engine::show(&x.2, dp))
        };
        let risers: Vec<String> =
            members.iter().filter(|x| x.2 > Exact::from(Decimal::ZERO)).take(3).map(show).collect();
        let fallers: Vec<String> =
            members.iter().rev().filter(|x| x.2 < Exact::from(Decimal::ZERO)).take(3).map(show).collect();
        let cat = c.map_or_else(|| tr(lang, "全部", "all").to_owned(), |c| d.scheme.categories[c].name.clone());
        // The category over its risers and fallers, in the names' column, one subject a line.
        text(ws, &mut widths, row, 1, &cat, &st.head)?;
        wrap_text(ws, &mut widths, row + 1, 0, tr(lang, "进步", "up"), st)?;
        wrap_text(ws, &mut widths, row + 1, 1, &risers.join("\n"), st)?;
        wrap_text(ws, &mut widths, row + 2, 0, tr(lang, "退步", "down"), st)?;
        wrap_text(ws, &mut widths, row + 2, 1, &fallers.join("\n"), st)?;
        row += 3;
    }
    // The sparkline's column: counted in the page width like the others.
    widths.at_least(spark_col, 14.0);
    widths.apply(ws)?;
    ws.set_freeze_panes(2, 3)?;
    Ok(())
}

/// Rows of one radar block (and the chart's height in 20-pixel rows).
const RADAR_ROWS: u32 = 16;

/// A radar chart's width in pixels (about 45 column units beside the data's ~64).
const RADAR_WIDTH: u32 = 420;

/// The radar sheet's print scale (percent): 11-point text prints at 9.4 pt.
const RADAR_SCALE: u16 = 85;

fn rectify(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((0, 0)))?;
    let lang = d.lang;
    let mut widths = Widths::default();
    let head = [
        tr(lang, "序号", "No."),
        tr(lang, "编号", "ID"),
        tr(lang, "名称", "Name"),
        tr(lang, "指标", "Indicator"),
        tr(lang, "得分", "Earned"),
        tr(lang, "分值", "Points"),
        tr(lang, "问题", "Problem"),
        tr(lang, "责任单位", "Responsible unit"),
        tr(lang, "整改措施", "Measures"),
        tr(lang, "完成时限", "Deadline"),
        tr(lang, "状态", "Status"),
    ];
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 0, u16::try_from(c)?, h, st)?;
    }
    let threshold = (d.scheme.rectify_below * Decimal::ONE_HUNDRED).normalize();
    for (k, item) in rectification(d.scheme, d.results).iter().enumerate() {
        let row = u32::try_from(k)? + 1;
        let r = &d.results[item.result];
        let subj = &d.roster.subjects[r.subject];
        let ind = &d.scheme.indicators[item.indicator];
        ws.write_number_with_format(row, 0, (k + 1) as f64, &st.int)?;
        text(ws, &mut widths, row, 1, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 2, &subj.name, &st.text)?;
        wrap_text(ws, &mut widths, row, 3, &format!("{} {}", ind.code, ind.name), st)?;
        let problem = match (&item.problem, lang) {
            (Problem::Low { earned, points }, Lang::Zh) => {
                ws.write_number_with_format(row, 4, rounded(d, earned), &st.num)?;
                ws.write_number_with_format(row, 5, w(*points), &st.num)?;
                format!("得分率 {}%，低于 {threshold}%", (earned * Decimal::ONE_HUNDRED / *points).round(1).normalize())
            }
            (Problem::Low { earned, points }, Lang::En) => {
                ws.write_number_with_format(row, 4, rounded(d, earned), &st.num)?;
                ws.write_number_with_format(row, 5, w(*points), &st.num)?;
                format!(
                    "{}% of the points, below {threshold}%",
                    (earned * Decimal::ONE_HUNDRED / *points).round(1).normalize()
                )
            }
            (Problem::Veto, _) => tr(lang, "触发一票否决", "veto triggered").to_owned(),
            (Problem::Missing, _) => tr(lang, "缺少考核数据", "no data to assess").to_owned(),
        };
        wrap_text(ws, &mut widths, row, 6, &problem, st)?;
        let unit = subj.unit.clone().unwrap_or_else(|| subj.name.clone());
        text(ws, &mut widths, row, 7, &unit, &st.text)?;
        wrap_text(ws, &mut widths, row, 8, "", st)?;
        text(ws, &mut widths, row, 9, tr(lang, "通报后30日内", "within 30 days"), &st.text)?;
        text(ws, &mut widths, row, 10, tr(lang, "待整改", "open"), &st.text)?;
    }
    widths.note(8, "                              ");
    ws.set_freeze_panes(1, 0)?;
    // The indicator, the problem and the space for the measures wrap so the list prints one
    // page wide.
    widths.fit_by_wrapping(&[8, 3, 6], 14.0);
    widths.apply(ws)?;
    Ok(())
}

fn issues(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), Some((0, 0)))?;
    let lang = d.lang;
    let mut widths = Widths::default();
    let head = [
        tr(lang, "严重程度", "Severity"),
        tr(lang, "代码", "Code"),
        tr(lang, "说明", "Message"),
        tr(lang, "文件", "File"),
        tr(lang, "工作表", "Sheet"),
        tr(lang, "行", "Row"),
        tr(lang, "列", "Column"),
        tr(lang, "值", "Value"),
    ];
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 0, u16::try_from(c)?, h, st)?;
    }
    let word = |s: Severity| match s {
        Severity::Error => tr(lang, "错误", "error"),
        Severity::Warning => tr(lang, "警告", "warning"),
        Severity::Info => tr(lang, "提示", "note"),
    };
    let mut row = 1u32;
    for i in d.issues.iter().filter(|i| i.severity != Severity::Info) {
        let l = &i.location;
        let cells = [
            word(i.severity).to_owned(),
            i.msg.code().to_owned(),
            i.msg.text(lang),
            l.file.clone(),
            l.sheet.clone(),
            l.row.map_or_else(String::new, |r| r.to_string()),
            l.column.map_or_else(String::new, column_letters),
            i.value.clone(),
        ];
        for (c, v) in cells.iter().enumerate() {
            text(ws, &mut widths, row, u16::try_from(c)?, v, &st.text)?;
        }
        row += 1;
    }
    // Subject-level findings of scoring.
    for r in ranked(d.results) {
        let subj = &d.roster.subjects[r.subject];
        for f in &r.flags {
            let severity = match f {
                Flag::Missing { .. } if !r.complete => Severity::Error,
                Flag::TieAtQuota | Flag::Conflict { .. } => Severity::Error,
                _ => Severity::Warning,
            };
            let message = format!("{} {}{}{}", subj.id, subj.name, tr(lang, "：", ": "), f.label(lang));
            let cells = [word(severity).to_owned(), f.short(), message];
            for (c, v) in cells.iter().enumerate() {
                text(ws, &mut widths, row, u16::try_from(c)?, v, &st.text)?;
            }
            row += 1;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A row of wrapping text cells from column A.
fn text_row(ws: &mut Worksheet, widths: &mut Widths, row: u32, cells: &[String], st: &Styles) -> Result<()> {
    for (k, v) in cells.iter().enumerate() {
        wrap_text(ws, widths, row, u16::try_from(k)?, v, st)?;
    }
    Ok(())
}

/// Label–value lines from the top of a sheet (label in bold); the next free row.
fn fact_rows(ws: &mut Worksheet, widths: &mut Widths, facts: &[(&str, String)], st: &Styles) -> Result<u32> {
    let mut row = 0u32;
    for (k, v) in facts {
        text(ws, widths, row, 0, k, &st.head)?;
        wrap_text(ws, widths, row, 1, v, st)?;
        row += 1;
    }
    Ok(row)
}

/// A row of headers from column A.
fn header_row(ws: &mut Worksheet, widths: &mut Widths, row: u32, heads: &[&str], st: &Styles) -> Result<()> {
    for (c, h) in heads.iter().enumerate() {
        head_cell(ws, widths, row, u16::try_from(c)?, h, st)?;
    }
    Ok(())
}

/// The input files (path, bytes, SHA-256) from `row`; the next free row.
fn input_rows(
    ws: &mut Worksheet,
    widths: &mut Widths,
    mut row: u32,
    inputs: &[InputFile],
    st: &Styles,
    lang: Lang,
) -> Result<u32> {
    header_row(ws, widths, row, &[tr(lang, "输入文件", "Input file"), tr(lang, "字节", "Bytes"), "SHA-256"], st)?;
    row += 1;
    for f in inputs {
        wrap_text(ws, widths, row, 0, &f.path, st)?;
        ws.write_number_with_format(row, 1, f.bytes as f64, &st.int)?;
        wrap_text(ws, widths, row, 2, &f.sha256, st)?;
        row += 1;
    }
    Ok(row)
}

fn about(wb: &mut Workbook, d: &ReportData<'_>, st: &Styles, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, &d.page(), None)?;
    let lang = d.lang;
    let mut widths = Widths::default();
    let generated = d.page().generated;
    let rounding = match lang {
        Lang::Zh => format!(
            "最终得分四舍五入保留 {} 位小数{}",
            d.scheme.precision,
            if d.scheme.round_each { "；每个末级指标也四舍五入" } else { "" }
        ),
        Lang::En => format!("final score rounded half away from zero to {} decimals", d.scheme.precision),
    };
    let facts = [
        (tr(lang, "方案", "Scheme"), d.scheme.name.clone()),
        (tr(lang, "考核期", "Period"), d.period_label()),
        (tr(lang, "perf 版本", "perf version"), env!("CARGO_PKG_VERSION").to_owned()),
        (tr(lang, "生成时间", "Generated"), generated),
        (tr(lang, "计分规则", "Rounding"), rounding),
        (tr(lang, "对象数", "Subjects"), d.results.len().to_string()),
    ];
    let mut row = fact_rows(ws, &mut widths, &facts, st)?;
    row = input_rows(ws, &mut widths, row + 1, d.inputs, st, lang)? + 1;
    if !d.corrections.is_empty() {
        let head = [
            tr(lang, "复核：对象", "Correction: subject"),
            tr(lang, "改动", "Change"),
            tr(lang, "原值", "Was"),
            tr(lang, "新值", "Now"),
            tr(lang, "理由", "Reason"),
            tr(lang, "批准人", "Approved by"),
            tr(lang, "日期", "Date"),
        ];
        header_row(ws, &mut widths, row, &head, st)?;
        row += 1;
        for (c, applied) in d.corrections {
            let (what, was, now) = match &c.change {
                Change::Value { indicator, rater, evaluator, value } => (
                    [indicator.as_str(), rater.as_str(), evaluator.as_str()]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" "),
                    applied.as_ref().and_then(|a| a.original).map_or_else(String::new, |v| v.normalize().to_string()),
                    value.normalize().to_string(),
                ),
                Change::Grade(g) => {
                    (tr(lang, "等次", "grade").to_owned(), String::new(), d.scheme.grades.levels[*g].name.clone())
                }
            };
            let cells = [c.subject.clone(), what, was, now, c.reason.clone(), c.approved_by.clone(), c.date.clone()];
            text_row(ws, &mut widths, row, &cells, st)?;
            row += 1;
        }
        row += 1;
    }
    let rh = [
        tr(lang, "评价主体", "Rater"),
        tr(lang, "名称", "Name"),
        tr(lang, "权重", "Weight"),
        tr(lang, "去掉最高、最低各", "Trimmed at each end"),
        tr(lang, "至少评价人数", "Fewest evaluators"),
    ];
    header_row(ws, &mut widths, row, &rh, st)?;
    row += 1;
    for r in &d.scheme.raters {
        wrap_text(ws, &mut widths, row, 0, &r.id, st)?;
        wrap_text(ws, &mut widths, row, 1, &r.name, st)?;
        ws.write_number_with_format(row, 2, w(r.weight), &st.text)?;
        ws.write_number_with_format(row, 3, f64::from(r.trim), &st.int)?;
        ws.write_number_with_format(row, 4, f64::from(r.min_count), &st.int)?;
        row += 1;
    }
    row += 1;
    let ih = [
        tr(lang, "代码", "Code"),
        tr(lang, "名称", "Name"),
        tr(lang, "上级", "Parent"),
        tr(lang, "轨道", "Track"),
        tr(lang, "适用类别", "Categories"),
        tr(lang, "分值", "Points"),
        tr(lang, "计分方法", "Method"),
        tr(lang, "参数", "Parameters"),
    ];
    header_row(ws, &mut widths, row, &ih, st)?;
    row += 1;
    for ind in &d.scheme.indicators {
        let cats = ind.categories.as_ref().map_or_else(
            || tr(lang, "全部", "all").to_owned(),
            |c| c.iter().map(|k| d.scheme.categories[*k].name.clone()).collect::<Vec<_>>().join("、"),
        );
        let params = ind.method.as_ref().map_or_else(String::new, |m| m.describe(d.scheme, lang));
        let cells = [
            ind.code.clone(),
            ind.name.clone(),
            ind.parent.map_or_else(String::new, |p| d.scheme.indicators[p].code.clone()),
            ind.track.label(lang).to_owned(),
            cats,
            ind.points.map_or_else(String::new, |p| p.normalize().to_string()),
            ind.method.as_ref().map_or_else(String::new, |m| m.kind().label(lang).to_owned()),
            params,
        ];
        for (c, v) in cells.iter().enumerate() {
            wrap_text(ws, &mut widths, row, u16::try_from(c)?, v, st)?;
        }
        row += 1;
    }
    let all: Vec<u16> = (0..u16::try_from(widths.widths.len())?).collect();
    widths.fit_by_wrapping(&all, 8.0);
    widths.apply(ws)?;
    Ok(())
}

/// How a column of the annual results is written in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnnualKind {
    Text,
    Number,
    /// Yuan: two decimals, summed into the 合计 row.
    Money,
}

fn annual_kind(column: &str) -> AnnualKind {
    match column {
        "amount" | "award" | "paid" | "suspended" => AnnualKind::Money,
        "annual_score" | "quarter_mean" | "year_end" | "person_quota" | "factor" => AnnualKind::Number,
        _ => AnnualKind::Text,
    }
}

/// A number format that shows `text`'s decimals (perf has already rounded it).
fn number_format(text: &str) -> String {
    match text.split_once('.') {
        Some((_, decimals)) if !decimals.is_empty() => format!("0.{}", "0".repeat(decimals.len())),
        _ => "0".to_owned(),
    }
}

/// The annual columns' headers for people (the CSV keeps the English names).
fn annual_header(column: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return column;
    }
    match column {
        "subject" => "编号",
        "name" => "姓名/名称",
        "unit" => "单位",
        "annual_score" => "年度得分",
        "grade" => "年度等次",
        "flags" => "标记",
        "amount" => "分配金额",
        "quarters" => "各季度等次",
        "quarter_mean" => "季度平均分",
        "year_end" => "年终考核得分",
        "award" => "奖励金额",
        "paid" => "已发放",
        "suspended" => "暂缓发放",
        "person_quota" => "优秀名额比例",
        "factor" => "系数",
        "evidence" => "依据",
        other => other,
    }
}

/// The workbook of `perf annual --report`: the 结果运用 sheet (one row per subject, the
/// annual columns, evidence included).
/// What the annual workbook's 年度等次 and 资金分配 sheets are made of.
pub struct AnnualBook<'a> {
    pub scheme: &'a Scheme,
    pub results: &'a [crate::core::annual_result::AnnualResult],
    pub ungraded_name: &'a str,
    pub funding: Option<&'a crate::core::annual::Funding>,
    /// The rules (三挂钩), in file order.
    pub links: &'a [crate::core::annual::Link],
    /// The year's corrections (复核) of annual grades.
    pub corrections: &'a [Correction],
    /// The quarters the year is made of.
    pub periods: &'a [String],
    pub roster: &'a Roster,
    /// Every file the year was read from, with its SHA-256 (listed on 说明).
    pub inputs: &'a [InputFile],
}

pub fn build_annual(
    scheme_name: &str,
    year: i32,
    columns: &[&str],
    rows: &[Vec<String>],
    book: &AnnualBook<'_>,
    lang: Lang,
) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // Excel's own level: about 30 % faster than the default 6 for a file ~5 % larger.
    wb.set_zip_compression_level(3);
    let created = ExcelDateTime::from_ymd(u16::try_from(year).unwrap_or(2000), 12, 31)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("perf"));
    let st = Styles::new(2);
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "结果运用", "Outcomes"))?;
    let title = format!("{scheme_name} · {year} · {}", tr(lang, "结果运用（三挂钩）", "outcomes"));
    // The workbook is dated 31 December for reproducible bytes: no generation time printed.
    let page = Page::new(&title, None, lang);
    page_setup(ws, &page, Some((1, 1)))?;
    let mut widths = Widths::default();
    // On paper the quarters and the funding (tranches, parameters) have their own sheets
    // (季度走势, 资金分配); the CSV and JSON keep every column.
    let shown: Vec<usize> = (0..columns.len())
        .filter(|&c| match columns[c] {
            "quarters" => book.periods.len() < 2,
            "paid" | "suspended" | "person_quota" | "factor" => book.funding.is_none(),
            _ => true,
        })
        .collect();
    title_row(ws, &mut widths, u16::try_from(shown.len() - 1)?, &title, &st)?;
    annual_rows(ws, &mut widths, 1, columns, rows, &shown, &st, lang)?;
    ws.set_freeze_panes(2, 2)?;
    widths.apply(ws)?;
    annual_grades(&mut wb, book, &st, &page, lang)?;
    if book.periods.len() >= 2 {
        annual_quarters(&mut wb, book, &st, &page, lang)?;
    }
    if let Some(funding) = book.funding {
        annual_funding(&mut wb, book, funding, (columns, rows), &st, &page, lang)?;
    }
    annual_about(&mut wb, book, year, &st, &page, lang)?;
    Ok(wb.save_to_buffer()?)
}

/// The annual results' `shown` columns from `top` (headers) down, one row per subject, and
/// a 合计 row with each amount column's exact sum; the next free row. Scores and amounts are
/// numbers (as perf writes them); flags and evidence wrap, one rule a line.
#[allow(clippy::too_many_arguments)]
fn annual_rows(
    ws: &mut Worksheet,
    widths: &mut Widths,
    top: u32,
    columns: &[&str],
    rows: &[Vec<String>],
    shown: &[usize],
    st: &Styles,
    lang: Lang,
) -> Result<u32> {
    for (k, &c) in shown.iter().enumerate() {
        head_cell(ws, widths, top, u16::try_from(k)?, annual_header(columns[c], lang), st)?;
    }
    let money = st.num.clone().set_num_format("#,##0.00");
    let wraps = |c: usize| matches!(columns[c], "flags" | "evidence");
    let mut totals: Vec<Decimal> = vec![Decimal::ZERO; columns.len()];
    for (k, row) in rows.iter().enumerate() {
        let r = top + 1 + u32::try_from(k)?;
        for (col, &c) in shown.iter().enumerate() {
            let (col, v) = (u16::try_from(col)?, &row[c]);
            match (annual_kind(columns[c]), v.parse::<Decimal>()) {
                (AnnualKind::Money, Ok(d)) => {
                    totals[c] += d;
                    money_cell(ws, widths, r, col, d, &money)?;
                }
                (AnnualKind::Number, Ok(d)) => {
                    let format = st.num.clone().set_num_format(number_format(v));
                    ws.write_number_with_format(r, col, w(d), &format)?;
                    widths.note(col, v);
                }
                _ if columns[c] == "evidence" => wrap_text(ws, widths, r, col, &v.replace(" | ", "\n"), st)?,
                _ if wraps(c) => wrap_text(ws, widths, r, col, &v.replace(';', tr(lang, "；", "; ")), st)?,
                _ => text(ws, widths, r, col, v, &st.text)?,
            }
        }
    }
    let total_row = top + 1 + u32::try_from(rows.len())?;
    text(ws, widths, total_row, 0, tr(lang, "合计", "Total"), &st.head)?;
    for (col, &c) in shown.iter().enumerate() {
        if annual_kind(columns[c]) == AnnualKind::Money {
            money_cell(ws, widths, total_row, u16::try_from(col)?, totals[c], &money)?;
        }
    }
    let wrapping: Vec<u16> =
        shown.iter().enumerate().filter(|(_, c)| wraps(**c)).filter_map(|(k, _)| u16::try_from(k).ok()).collect();
    widths.fit_by_wrapping(&wrapping, 12.0);
    Ok(total_row + 1)
}

/// 说明 of the annual workbook: the year and its quarters, every rule in the office's own
/// words with its kind, its source and how many it applied to, and the corrections.
fn annual_about(
    wb: &mut Workbook,
    book: &AnnualBook<'_>,
    year: i32,
    st: &Styles,
    page: &Page,
    lang: Lang,
) -> Result<()> {
    use crate::core::scheme::doc::LinkKind;
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "说明", "About"))?;
    page_setup(ws, page, None)?;
    let mut widths = Widths::default();
    let quarters: Vec<String> = book.periods.iter().map(|p| crate::core::import::period::label(p, lang)).collect();
    let facts = [
        (tr(lang, "方案", "Scheme"), book.scheme.name.clone()),
        (tr(lang, "年度", "Year"), year.to_string()),
        (tr(lang, "季度", "Quarters"), quarters.join(tr(lang, "、", ", "))),
        (tr(lang, "perf 版本", "perf version"), env!("CARGO_PKG_VERSION").to_owned()),
    ];
    let mut row = fact_rows(ws, &mut widths, &facts, st)?;
    row = input_rows(ws, &mut widths, row + 1, book.inputs, st, lang)? + 1;
    let head = [
        tr(lang, "规则", "Rule"),
        tr(lang, "内容", "What it says"),
        tr(lang, "类别", "Kind"),
        tr(lang, "依据", "Source"),
        tr(lang, "适用人数", "Applied to"),
    ];
    header_row(ws, &mut widths, row, &head, st)?;
    row += 1;
    for (k, link) in book.links.iter().enumerate() {
        let kind = match (link.kind, lang) {
            (LinkKind::Annual, Lang::Zh) => "年度等次",
            (LinkKind::Appointment, Lang::Zh) => "任用与奖励",
            (LinkKind::Resources, Lang::Zh) => "资源配置",
            (LinkKind::Annual, Lang::En) => "annual grade",
            (LinkKind::Appointment, Lang::En) => "appointment and rewards",
            (LinkKind::Resources, Lang::En) => "resources",
        };
        let applied = book.results.iter().filter(|r| r.fired.iter().any(|(i, _)| *i == k)).count();
        wrap_text(ws, &mut widths, row, 0, &link.id, st)?;
        wrap_text(ws, &mut widths, row, 1, &link.name, st)?;
        wrap_text(ws, &mut widths, row, 2, kind, st)?;
        wrap_text(ws, &mut widths, row, 3, link.source.as_deref().unwrap_or(""), st)?;
        ws.write_number_with_format(row, 4, applied as f64, &st.int)?;
        row += 1;
    }
    if !book.corrections.is_empty() {
        row += 1;
        let head = [
            tr(lang, "复核：对象", "Correction: subject"),
            tr(lang, "新等次", "Grade now"),
            tr(lang, "理由", "Reason"),
            tr(lang, "批准人", "Approved by"),
            tr(lang, "日期", "Date"),
        ];
        header_row(ws, &mut widths, row, &head, st)?;
        row += 1;
        for c in book.corrections {
            let now = match &c.change {
                Change::Grade(g) => book.scheme.grades.levels[*g].name.clone(),
                Change::Value { indicator, value, .. } => format!("{indicator} = {}", value.normalize()),
            };
            let cells = [c.subject.clone(), now, c.reason.clone(), c.approved_by.clone(), c.date.clone()];
            text_row(ws, &mut widths, row, &cells, st)?;
            row += 1;
        }
    }
    let all: Vec<u16> = (0..u16::try_from(widths.widths.len())?).collect();
    widths.fit_by_wrapping(&all, 8.0);
    widths.apply(ws)?;
    Ok(())
}

/// 年度等次: per quota pool, its size, and per level how many got it and the places its quota
/// allowed (the top level's quota raised for a unit result, as the grading applied it).
fn annual_grades(wb: &mut Workbook, book: &AnnualBook<'_>, st: &Styles, page: &Page, lang: Lang) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "年度等次", "Grades"))?;
    page_setup(ws, page, Some((0, 0)))?;
    let mut widths = Widths::default();
    let levels = &book.scheme.grades.levels;
    let mut head: Vec<String> =
        vec![tr(lang, "名额池", "Pool").to_owned(), tr(lang, "参加定等人数", "Graded").to_owned()];
    for l in levels {
        head.push(format!("{}{}", l.name, tr(lang, "人数", "")));
        head.push(format!("{}{}", l.name, tr(lang, "名额", " places")));
    }
    head.push(format!("{}{}", book.ungraded_name, tr(lang, "人数", "")));
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 0, u16::try_from(c)?, h, st)?;
    }
    let mut pools: std::collections::BTreeMap<&str, Vec<&crate::core::annual_result::AnnualResult>> =
        std::collections::BTreeMap::new();
    for r in book.results {
        if let Some(p) = &r.pool {
            pools.entry(p.as_str()).or_default().push(r);
        }
    }
    let mut row = 1u32;
    for (pool, members) in &pools {
        let size = members.len();
        let name = if pool.is_empty() { tr(lang, "全部", "all") } else { pool };
        text(ws, &mut widths, row, 0, name, &st.text)?;
        ws.write_number_with_format(row, 1, size as f64, &st.int)?;
        let top = members.iter().find_map(|r| r.pool_top_quota);
        for (g, l) in levels.iter().enumerate() {
            let col = u16::try_from(2 + 2 * g)?;
            let count = members.iter().filter(|r| r.grade == Some(g)).count();
            ws.write_number_with_format(row, col, count as f64, &st.int)?;
            let quota = if g == 0 { top.or(l.quota) } else { l.quota };
            match quota {
                Some(q) => ws.write_number_with_format(
                    row,
                    col + 1,
                    crate::core::score::rank::quota_places(q, size, book.scheme.grades.quota_rounding) as f64,
                    &st.int,
                )?,
                None => ws.write_string_with_format(row, col + 1, tr(lang, "不限", "no cap"), &st.text)?,
            };
        }
        let none = members.iter().filter(|r| r.grade.is_none()).count();
        ws.write_number_with_format(row, u16::try_from(2 + 2 * levels.len())?, none as f64, &st.int)?;
        row += 1;
    }
    // Not graded by the quotas at all (不定等次 by a rule, or no annual score).
    let apart = book.results.iter().filter(|r| r.pool.is_none()).count();
    if apart > 0 {
        let note = match lang {
            Lang::Zh => format!("另有 {apart} 人不参加定等（{}）", book.ungraded_name),
            Lang::En => format!("{apart} more not graded ({})", book.ungraded_name),
        };
        text(ws, &mut widths, row + 1, 0, &note, &st.text)?;
    }
    widths.apply(ws)?;
    Ok(())
}

/// 季度走势: each person's score and grade in each quarter of the year, the change from the
/// first quarter to the last, and a sparkline of the scores.
fn annual_quarters(wb: &mut Workbook, book: &AnnualBook<'_>, st: &Styles, page: &Page, lang: Lang) -> Result<()> {
    let name = tr(lang, "季度走势", "Quarters");
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    page_setup(ws, page, Some((0, 0)))?;
    // 编号 and 姓名 repeat on every page printed across; the third column is a score.
    let mut widths = Widths { lead: 2, ..Widths::default() };
    let quarters: Vec<String> = book.periods.iter().map(|p| crate::core::import::period::label(p, lang)).collect();
    let n = u16::try_from(quarters.len())?;
    let mut head: Vec<String> = vec![tr(lang, "编号", "ID").to_owned(), tr(lang, "姓名/名称", "Name").to_owned()];
    head.extend(quarters.iter().map(|q| format!("{q}{}", tr(lang, " 得分", " score"))));
    head.extend(quarters.iter().map(|q| format!("{q}{}", tr(lang, " 等次", " grade"))));
    head.push(tr(lang, "末季较首季", "Last vs first").to_owned());
    head.push(tr(lang, "走势", "Trend").to_owned());
    for (c, h) in head.iter().enumerate() {
        head_cell(ws, &mut widths, 0, u16::try_from(c)?, h, st)?;
    }
    // Columns: 编号, 名称, the scores (from C), the grades, the change, the sparkline.
    let (first, grades) = (2u16, 2 + n);
    let (change_col, spark_col) = (2 + 2 * n, 3 + 2 * n);
    for (k, r) in book.results.iter().enumerate() {
        let row = 1 + u32::try_from(k)?;
        let subj = &book.roster.subjects[r.subject];
        text(ws, &mut widths, row, 0, &subj.id, &st.text)?;
        text(ws, &mut widths, row, 1, &subj.name, &st.text)?;
        let mut scores: Vec<Option<Decimal>> = Vec::new();
        for (j, p) in book.periods.iter().enumerate() {
            let j = u16::try_from(j)?;
            match r.quarters.iter().find(|q| q.period == *p) {
                Some(q) if q.complete => {
                    ws.write_number_with_format(row, first + j, w(q.score), &st.num)?;
                    text(ws, &mut widths, row, grades + j, &q.grade, &st.text)?;
                    scores.push(Some(q.score));
                }
                _ => {
                    ws.write_blank(row, first + j, &st.text)?;
                    text(ws, &mut widths, row, grades + j, "—", &st.text)?;
                    scores.push(None);
                }
            }
        }
        if let (Some(Some(first)), Some(Some(last))) = (scores.first(), scores.last()) {
            ws.write_number_with_format(row, change_col, w(*last - *first), &st.num)?;
        }
        let spark =
            rust_xlsxwriter::Sparkline::new().set_range((name, row, first, row, first + n - 1)).show_markers(true);
        ws.add_sparkline(row, spark_col, &spark)?;
    }
    // The sparkline's column: counted in the page width like the others.
    widths.at_least(spark_col, 14.0);
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

/// 资金分配: per grade the coefficient, the people, what each got and the subtotal; the 合计
/// equals the pool to the fen; what is paid now and suspended.
fn annual_funding(
    wb: &mut Workbook,
    book: &AnnualBook<'_>,
    funding: &crate::core::annual::Funding,
    (columns, rows): (&[&str], &[Vec<String>]),
    st: &Styles,
    page: &Page,
    lang: Lang,
) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "资金分配", "Funding"))?;
    page_setup(ws, page, None)?;
    let mut widths = Widths::default();
    let money = st.num.clone().set_num_format("#,##0.00");
    text(ws, &mut widths, 0, 0, &funding.name, &st.head)?;
    text(ws, &mut widths, 0, 1, tr(lang, "资金池", "Pool"), &st.head)?;
    money_cell(ws, &mut widths, 0, 2, funding.pool, &money)?;
    let head = [
        tr(lang, "等次", "Grade"),
        tr(lang, "系数", "Coefficient"),
        tr(lang, "人数", "People"),
        tr(lang, "每人金额", "Each"),
        tr(lang, "小计", "Subtotal"),
        tr(lang, "已发放", "Paid"),
        tr(lang, "暂缓发放", "Suspended"),
    ];
    header_row(ws, &mut widths, 2, &head, st)?;
    let levels = &book.scheme.grades.levels;
    let mut row = 3u32;
    let (mut total, mut paid, mut suspended) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let groups: Vec<(String, Option<Decimal>, Vec<&crate::core::annual_result::AnnualResult>)> = levels
        .iter()
        .enumerate()
        .map(|(g, l)| {
            let coefficient = funding.coefficients.iter().find(|(k, _)| *k == g).map(|(_, c)| *c);
            (l.name.clone(), coefficient, book.results.iter().filter(|r| r.grade == Some(g)).collect())
        })
        .chain(std::iter::once((
            book.ungraded_name.to_owned(),
            None,
            book.results.iter().filter(|r| r.grade.is_none()).collect(),
        )))
        .collect();
    for (name, coefficient, members) in groups {
        if members.is_empty() {
            continue;
        }
        let sum: Decimal = members.iter().map(|r| r.share).sum();
        let (p, s): (Decimal, Decimal) =
            (members.iter().map(|r| r.paid).sum(), members.iter().map(|r| r.suspended).sum());
        let mut each: Vec<Decimal> = members.iter().map(|r| r.share).collect();
        each.sort_unstable();
        each.dedup();
        text(ws, &mut widths, row, 0, &name, &st.text)?;
        if let Some(c) = coefficient {
            ws.write_number_with_format(
                row,
                1,
                w(c),
                &st.num.clone().set_num_format(number_format(&c.normalize().to_string())),
            )?;
        }
        ws.write_number_with_format(row, 2, members.len() as f64, &st.int)?;
        // Equal shares but for the fens of the largest-remainder split: shown as a range.
        let each_text = match (each.first(), each.last()) {
            (Some(a), Some(b)) if a == b => money_text(*a),
            (Some(a), Some(b)) => format!("{}–{}", money_text(*a), money_text(*b)),
            _ => String::new(),
        };
        text(ws, &mut widths, row, 3, &each_text, &st.text)?;
        money_cell(ws, &mut widths, row, 4, sum, &money)?;
        money_cell(ws, &mut widths, row, 5, p, &money)?;
        money_cell(ws, &mut widths, row, 6, s, &money)?;
        (total, paid, suspended) = (total + sum, paid + p, suspended + s);
        row += 1;
    }
    text(ws, &mut widths, row, 0, tr(lang, "合计", "Total"), &st.head)?;
    money_cell(ws, &mut widths, row, 4, total, &money)?;
    money_cell(ws, &mut widths, row, 5, paid, &money)?;
    money_cell(ws, &mut widths, row, 6, suspended, &money)?;
    // Below: each person's share, what was paid and what is held back (a tie not yet decided).
    let shown: Vec<usize> = ["subject", "name", "unit", "grade", "factor", "amount", "paid", "suspended"]
        .iter()
        .filter_map(|name| columns.iter().position(|c| c == name))
        // the coefficient column only when some subject has one
        .filter(|&c| columns[c] != "factor" || rows.iter().any(|r| !r[c].is_empty()))
        .collect();
    annual_rows(ws, &mut widths, row + 2, columns, rows, &shown, st, lang)?;
    ws.set_repeat_rows(row + 2, row + 2)?;
    widths.apply(ws)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_as_their_format_shows_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money_text(d("0")), "0.00");
        assert_eq!(money_text(d("999.5")), "999.50");
        assert_eq!(money_text(d("1000")), "1,000.00");
        assert_eq!(money_text(d("612345.67")), "612,345.67");
        assert_eq!(money_text(d("-1234567.8")), "-1,234,567.80");
    }

    #[test]
    fn flags_are_words_one_kind_a_line() {
        let not_trimmed = |rater: &str| Flag::NotTrimmed { indicator: "G1".into(), rater: rater.into() };
        let flags = [
            not_trimmed("peer"),
            Flag::Missing { indicator: "G2".into(), rater: String::new() },
            not_trimmed("public"),
            not_trimmed("leader"),
        ];
        assert_eq!(flag_lines(&flags, Lang::Zh), "人数少未去极值 ×3\n缺值 G2");
        assert_eq!(flag_lines(&flags[1..2], Lang::En), "missing G2");
        assert_eq!(flag_lines(&[], Lang::Zh), "");
    }

    #[test]
    fn a_line_breaks_at_spaces_and_between_cjk_characters() {
        assert_eq!(unbreakable("G1.1 党建工作责任制落实"), 4.0);
        assert_eq!(unbreakable("category average"), 8.0);
        assert_eq!(unbreakable("区领导评价"), 2.0);
    }

    #[test]
    fn no_row_is_taller_than_excel_allows() {
        let mut wb = Workbook::new();
        let st = Styles::new(2);
        let ws = wb.add_worksheet();
        let mut widths = Widths::default();
        wrap_text(ws, &mut widths, 0, 0, &"很长的说明".repeat(2000), &st).unwrap();
        title_row(ws, &mut widths, 0, &"标题".repeat(2000), &st).unwrap();
        widths.apply(ws).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        let heights: Vec<f64> = regex::Regex::new(r#" ht="([\d.]+)""#)
            .unwrap()
            .captures_iter(&xml)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert!(!heights.is_empty() && heights.iter().all(|&h| h <= 409.0), "{heights:?}");
    }

    #[test]
    fn a_wide_sheet_narrows_its_wrapping_columns_until_it_fits_the_page() {
        let mut widths = Widths::default();
        for c in 0..6 {
            widths.note(c, &"x".repeat(30));
        }
        // 6 × 32 = 192 units: the wrapping columns 4 and 5 give way, never below 12.
        widths.fit_by_wrapping(&[4, 5], 12.0);
        assert_eq!((widths.widths[4], widths.widths[5]), (12.0, 12.0));
        let mut narrow = Widths::default();
        narrow.note(0, "short");
        narrow.fit_by_wrapping(&[0], 1.0);
        assert_eq!(narrow.widths[0], 5.0, "a sheet that fits is left alone");
    }
}
