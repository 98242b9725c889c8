//! What leaders see on paper: every workbook of both examples (quarterly, trend, annual; the
//! public version of the units — persons are not published) rendered through LibreOffice and
//! checked — no text below 8 pt (read from the PDF's text operators), no chart across a page
//! break (from the drawing anchors and the page layout), no text running out of its cell,
//! header rows repeated on every page.

use crate::util::{perf, tempdir};
use lopdf::{Dictionary, Document, Object};
use std::path::{Path, PathBuf};

/// The workbooks a leader is given, written into `dir`: (name, path).
fn workbooks(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let stamp = ["--timestamp", "2026-04-08T09:00:00+08:00"];
    let jobs: [(&str, Vec<&str>); 9] = [
        ("units-quarterly", vec!["report", "examples/units"]),
        ("units-trend", vec!["report", "examples/units", "--period", "2026Q4"]),
        ("units-public", vec!["report", "examples/units", "--public"]),
        ("staff-quarterly", vec!["report", "examples/staff"]),
        ("staff-trend", vec!["report", "examples/staff", "--period", "2026Q4"]),
        ("units-annual", vec!["annual", "examples/units", "--report"]),
        ("staff-annual", vec!["annual", "examples/staff", "--report"]),
        ("units-quarterly-en", vec!["report", "examples/units", "--lang", "en"]),
        ("staff-annual-en", vec!["annual", "examples/staff", "--lang", "en", "--report"]),
    ];
    jobs.into_iter()
        .map(|(name, args)| {
            let path = dir.join(format!("{name}.xlsx"));
            let mut cmd = perf();
            cmd.args(&args);
            if args[0] == "report" {
                cmd.args(stamp).arg("-o");
            }
            let out = cmd.arg(&path).output().unwrap();
            assert!(path.exists(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
            (name, path)
        })
        .collect()
}

#[test]
fn every_printed_page_is_readable() {
    let Some(soffice) = crate::util::soffice() else { return };
    let tmp = tempdir();
    let books = workbooks(tmp.path());
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(tmp.path())
        .args(books.iter().map(|(_, p)| p))
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, xlsx) in &books {
        let pdf = xlsx.with_extension("pdf");
        let book = Book::open(xlsx);
        for sheet in &book.sheets {
            sheet.fitted_not_shrunk(&format!("{name} / {}", sheet.name));
        }
        let (smallest, page, pages) = smallest_text(&pdf);
        assert!(pages > 0, "{name}: no pages");
        // Text was read (a PDF whose content could not be decoded must not pass for readable).
        assert!(smallest.is_finite(), "{name}: no text read from the PDF");
        assert!(smallest >= 8.0, "{name}: text of {smallest:.2} pt on page {page} of {pages}");
        let mut numbers = 0;
        for sheet in &book.sheets {
            let at = format!("{name} / {}", sheet.name);
            // The quarterly report's charts (the annual workbook has none; its English
            // "Grades" sheet is a table).
            let charted = ["雷达图", "Profiles", "等次分布", "Grades"].contains(&sheet.name.as_str());
            if charted && !name.contains("annual") && !name.contains("public") {
                assert!(!sheet.anchors.is_empty(), "{at}: no chart anchor was found to check");
            }
            sheet.charts_stay_on_their_page(&at);
            let (texts, n) = sheet.text_fits_its_cells(&book.strings, &book.styles, &at);
            assert!(texts > 0, "{at}: no text cell was found to check");
            numbers += n;
            sheet.headers_repeat(&at);
        }
        assert!(numbers > 0, "{name}: no number cell was found to check");
    }
}

// ---------------------------------------------------------------------------------------------
// The PDF: the size every piece of text is drawn at.

/// A 2-D affine matrix [a b c d e f] as PDF writes it.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn times(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn number(o: &Object) -> f64 {
    match o {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

fn matrix(ops: &[Object]) -> Matrix {
    let v: Vec<f64> = ops.iter().map(number).collect();
    if v.len() == 6 { [v[0], v[1], v[2], v[3], v[4], v[5]] } else { IDENTITY }
}

/// The smallest text drawn (points, as printed), the page it is on, and the page count.
fn smallest_text(pdf: &Path) -> (f64, u32, usize) {
    let doc = Document::load(pdf).expect("a PDF was rendered");
    let pages = doc.get_pages();
    let mut smallest = (f64::INFINITY, 0);
    for (&number, &id) in &pages {
        let content = doc.get_page_content(id);
        let resources = doc.get_page_resources(id).ok().and_then(|(direct, ids)| {
            direct.cloned().or_else(|| ids.first().and_then(|i| doc.get_dictionary(*i).ok().cloned()))
        });
        let size = drawn_sizes(&doc, &content, resources.as_ref(), IDENTITY, 0);
        if size < smallest.0 {
            smallest = (size, number);
        }
    }
    (smallest.0, smallest.1, pages.len())
}

/// The smallest size text is drawn at in a content stream (and the forms it draws).
fn drawn_sizes(doc: &Document, content: &[u8], resources: Option<&Dictionary>, ctm: Matrix, depth: u32) -> f64 {
    let Ok(content) = lopdf::content::Content::decode(content) else { return f64::INFINITY };
    let (mut ctm, mut stack) = (ctm, Vec::new());
    let (mut tm, mut font_size) = (IDENTITY, 0.0f64);
    let mut smallest = f64::INFINITY;
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" => ctm = times(&matrix(&op.operands), &ctm),
            "BT" => tm = IDENTITY,
            "Tm" => tm = matrix(&op.operands),
            "Tf" => font_size = op.operands.get(1).map_or(0.0, number),
            "Tj" | "TJ" | "'" | "\"" => {
                let shown = match op.operands.last() {
                    Some(Object::String(s, _)) => !s.is_empty(),
                    Some(Object::Array(a)) => a.iter().any(|x| matches!(x, Object::String(s, _) if !s.is_empty())),
                    _ => false,
                };
                if shown {
                    let m = times(&tm, &ctm);
                    let scale = (m[0] * m[3] - m[1] * m[2]).abs().sqrt();
                    smallest = smallest.min(font_size.abs() * scale);
                }
            }
            "Do" if depth < 8 => {
                let form = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| resources?.get(b"XObject").ok()?.as_dict().ok()?.get(n).ok())
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_stream().ok());
                if let Some(form) = form
                    && form.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Form")
                {
                    let m =
                        form.dict.get(b"Matrix").ok().and_then(|o| o.as_array().ok()).map_or(IDENTITY, |a| matrix(a));
                    let inner = form.decompressed_content().unwrap_or_else(|_| form.content.clone());
                    let own = form
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|o| doc.dereference(o).ok())
                        .and_then(|(_, o)| o.as_dict().ok())
                        .or(resources);
                    smallest = smallest.min(drawn_sizes(doc, &inner, own, times(&m, &ctm), depth + 1));
                }
            }
            _ => {}
        }
    }
    smallest
}

// ---------------------------------------------------------------------------------------------
// The workbook: columns, rows, anchors and page setup, read from its XML.

struct Sheet {
    name: String,
    xml: String,
    /// Anchors of the drawings (charts): (first row, last row, last column), 0-based.
    anchors: Vec<(u32, u32, u32)>,
    /// The rows printed at the top of every page (0-based, inclusive).
    repeat: Option<(u32, u32)>,
}

#[derive(Clone)]
struct Style {
    wraps: bool,
    size: f64,
    format: String,
}

struct Book {
    sheets: Vec<Sheet>,
    strings: Vec<String>,
    /// Per cell style (`s`): whether its text wraps, its font size (points) and its number
    /// format ("General" when none).
    styles: Vec<Style>,
}

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<String> {
    use std::io::Read;
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#)).unwrap();
    re.captures(tag).map(|c| c[1].to_owned())
}

impl Book {
    fn open(path: &Path) -> Book {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let workbook = part(&mut zip, "xl/workbook.xml").unwrap();
        let names: Vec<String> = regex::Regex::new(r"<sheet [^>]*>")
            .unwrap()
            .find_iter(&workbook)
            .map(|m| unescape(&attr(m.as_str(), "name").unwrap()))
            .collect();
        let strings = part(&mut zip, "xl/sharedStrings.xml")
            .map(|x| {
                regex::Regex::new(r"(?s)<si>(.*?)</si>")
                    .unwrap()
                    .captures_iter(&x)
                    .map(|c| {
                        let t = regex::Regex::new(r"(?s)<t[^>]*>(.*?)</t>").unwrap();
                        unescape(&t.captures_iter(&c[1]).map(|t| t[1].to_owned()).collect::<String>())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let styles = part(&mut zip, "xl/styles.xml").unwrap();
        let xfs =
            regex::Regex::new(r"(?s)<cellXfs[^>]*>(.*?)</cellXfs>").unwrap().captures(&styles).unwrap()[1].to_owned();
        let fonts: Vec<f64> = regex::Regex::new(r"(?s)<font>(.*?)</font>")
            .unwrap()
            .captures_iter(&styles)
            .map(|c| {
                regex::Regex::new(r#"<sz val="([\d.]+)""#)
                    .unwrap()
                    .captures(&c[1])
                    .map_or(11.0, |s| s[1].parse().unwrap())
            })
            .collect();
        let formats: std::collections::HashMap<String, String> =
            regex::Regex::new(r#"<numFmt numFmtId="(\d+)" formatCode="([^"]*)""#)
                .unwrap()
                .captures_iter(&styles)
                .map(|c| (c[1].to_owned(), unescape(&c[2])))
                .collect();
        let styles = regex::Regex::new(r"(?s)<xf [^>]*?(/>|>.*?</xf>)")
            .unwrap()
            .find_iter(&xfs)
            .map(|m| {
                let font = attr(m.as_str(), "fontId").and_then(|f| f.parse::<usize>().ok()).unwrap_or(0);
                let format = attr(m.as_str(), "numFmtId").and_then(|f| formats.get(&f).cloned());
                Style {
                    wraps: m.as_str().contains(r#"wrapText="1""#),
                    size: fonts.get(font).copied().unwrap_or(11.0),
                    format: format.unwrap_or_else(|| "General".to_owned()),
                }
            })
            .collect();
        // Print titles: <definedName name="_xlnm.Print_Titles" localSheetId="k">'x'!$A:$C,'x'!$1:$2
        let titles =
            regex::Regex::new(r#"<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<"#).unwrap();
        let rows_of = regex::Regex::new(r"\$(\d+):\$(\d+)").unwrap();
        let repeats: std::collections::HashMap<usize, (u32, u32)> = titles
            .captures_iter(&workbook)
            .filter_map(|c| {
                let r = rows_of.captures(&c[2])?;
                Some((c[1].parse().ok()?, (r[1].parse::<u32>().ok()? - 1, r[2].parse::<u32>().ok()? - 1)))
            })
            .collect();
        let drawing_of = regex::Regex::new(r#"Target="\.\./drawings/(drawing\d+\.xml)""#).unwrap();
        let anchor_rows = regex::Regex::new(
            r"(?s)<xdr:from>.*?<xdr:row>(\d+)</xdr:row>.*?</xdr:from>\s*<xdr:to>\s*<xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>",
        )
        .unwrap();
        let mut sheets = Vec::new();
        for (k, name) in names.into_iter().enumerate() {
            let xml = part(&mut zip, &format!("xl/worksheets/sheet{}.xml", k + 1)).unwrap();
            let rels = part(&mut zip, &format!("xl/worksheets/_rels/sheet{}.xml.rels", k + 1)).unwrap_or_default();
            let mut anchors = Vec::new();
            for target in drawing_of.captures_iter(&rels) {
                let drawing = part(&mut zip, &format!("xl/drawings/{}", &target[1])).unwrap();
                anchors.extend(
                    anchor_rows
                        .captures_iter(&drawing)
                        .map(|c| (c[1].parse().unwrap(), c[3].parse().unwrap(), c[2].parse().unwrap())),
                );
            }
            sheets.push(Sheet { name: unescape(&name), xml, anchors, repeat: repeats.get(&k).copied() });
        }
        Book { sheets, strings, styles }
    }
}

/// An A4 landscape page's height for rows at 100 %, in points: 595 less the top and bottom
/// margins (0.75 in each; the header and footer sit inside them).
const PAGE_ROWS_HEIGHT: f64 = 595.0 - 2.0 * 54.0;

impl Sheet {
    /// Row heights (points) by 0-based row, default 15.
    fn row_heights(&self) -> std::collections::HashMap<u32, f64> {
        regex::Regex::new(r"<row [^>]*>")
            .unwrap()
            .find_iter(&self.xml)
            .filter_map(|m| {
                let r: u32 = attr(m.as_str(), "r")?.parse().ok()?;
                let ht: f64 = attr(m.as_str(), "ht")?.parse().ok()?;
                Some((r - 1, ht))
            })
            .collect()
    }

    /// The print scale as a fraction: `scale` of pageSetup, 1 when fitted to a page's width
    /// (the fit may shrink it further, which only leaves more room below).
    fn scale(&self) -> f64 {
        let setup = regex::Regex::new(r"<pageSetup [^>]*>").unwrap().find(&self.xml).map(|m| m.as_str().to_owned());
        setup.and_then(|s| attr(&s, "scale")).and_then(|s| s.parse::<f64>().ok()).map_or(1.0, |s| s / 100.0)
    }

    /// A sheet fitted to a page's width is no wider than the page holds at 80 % (about 131
    /// column units): LibreOffice would shrink its text below 8.8 pt.
    fn fitted_not_shrunk(&self, at: &str) {
        if !self.xml.contains(r#"fitToPage="1""#) {
            return;
        }
        let wide: f64 =
            self.column_widths().iter().map(|(first, last, w)| f64::from(last - first + 1) * (w - 0.71)).sum();
        assert!(wide <= 105.0 / 0.8 + 0.5, "{at}: fitted to one page {wide:.0} units wide");
    }

    /// Every chart lies between two page breaks (manual breaks above each block), and the
    /// rows from the break above it to its last row fit on one page at the sheet's scale.
    fn charts_stay_on_their_page(&self, at: &str) {
        if self.anchors.is_empty() {
            return;
        }
        let breaks: Vec<u32> = regex::Regex::new(r#"<brk id="(\d+)""#)
            .unwrap()
            .captures_iter(
                regex::Regex::new(r"(?s)<rowBreaks.*?</rowBreaks>").unwrap().find(&self.xml).map_or("", |m| m.as_str()),
            )
            .map(|c| c[1].parse().unwrap())
            .collect();
        let heights = self.row_heights();
        let height = |r: u32| heights.get(&r).copied().unwrap_or(15.0);
        // Repeated rows are printed on every page above the sheet's own.
        let repeated: f64 = self.repeated_rows().map_or(0.0, |(a, b)| (a..=b).map(height).sum());
        let room = PAGE_ROWS_HEIGHT / self.scale() - repeated;
        // A page's width holds about 105 column units at 100 % (LibreOffice, A4 landscape).
        let cols = self.column_widths();
        let column_width =
            |col: u32| cols.iter().find(|(first, last, _)| (*first..=*last).contains(&col)).map_or(8.43, |c| c.2);
        for &(from, to, right) in &self.anchors {
            let wide: f64 = (0..=right).map(column_width).sum();
            assert!(
                wide <= 105.0 / self.scale(),
                "{at}: the chart at rows {from}–{to} reaches {wide:.0} units across, past the page's {:.0}",
                105.0 / self.scale()
            );
            // A break with id N falls between rows N-1 and N (0-based).
            assert!(
                !breaks.iter().any(|&b| b > from && b <= to),
                "{at}: a page break inside the chart at rows {from}–{to}"
            );
            let top = breaks.iter().copied().filter(|&b| b <= from).max().unwrap_or(0);
            let used: f64 = (top..=to).map(height).sum();
            assert!(
                used <= room,
                "{at}: the chart at rows {from}–{to} ends {used:.0} pt below its page's top (room {room:.0})"
            );
        }
    }

    fn repeated_rows(&self) -> Option<(u32, u32)> {
        self.repeat
    }

    /// A sheet whose rows run past one page repeats its header rows on every page.
    fn headers_repeat(&self, at: &str) {
        let heights = self.row_heights();
        let last = regex::Regex::new(r#"<row r="(\d+)""#)
            .unwrap()
            .captures_iter(&self.xml)
            .filter_map(|c| c[1].parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let total: f64 = (0..last).map(|r| heights.get(&r).copied().unwrap_or(15.0)).sum();
        // Not the sheets of blocks with their own headings: 说明 (several tables) and the radar
        // charts (a heading over each block).
        let blocks = ["说明", "About", "雷达图", "Profiles"].contains(&self.name.as_str());
        if total > PAGE_ROWS_HEIGHT / self.scale() && !blocks {
            assert!(self.repeat.is_some(), "{at}: {last} rows over several pages, no header rows repeated");
        }
    }

    /// Column widths (Excel's units): (first, last, width), 0-based; 8.43 where none is set.
    fn column_widths(&self) -> Vec<(u32, u32, f64)> {
        regex::Regex::new(r#"<col min="(\d+)" max="(\d+)" width="([\d.]+)""#)
            .unwrap()
            .captures_iter(&self.xml)
            .map(|c| (c[1].parse::<u32>().unwrap() - 1, c[2].parse::<u32>().unwrap() - 1, c[3].parse().unwrap()))
            .collect()
    }

    /// Every text cell fits its cell (or its merged range) on paper: a text that does not wrap
    /// is no wider than its column; a wrapping one has a row tall enough for its lines (about
    /// 12 pt a line of 11-point text in LibreOffice).
    /// How many text and number cells were checked.
    fn text_fits_its_cells(&self, strings: &[String], styles: &[Style], at: &str) -> (usize, usize) {
        let (mut texts, mut numbers) = (0, 0);
        let merges: Vec<(u32, u32, u32, u32)> = regex::Regex::new(r#"<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)""#)
            .unwrap()
            .captures_iter(&self.xml)
            .map(|c| (column(&c[1]), c[2].parse::<u32>().unwrap() - 1, column(&c[3]), c[4].parse::<u32>().unwrap() - 1))
            .collect();
        let heights = self.row_heights();
        let cols = self.column_widths();
        let column_width =
            |col: u32| cols.iter().find(|(first, last, _)| (*first..=*last).contains(&col)).map_or(8.43, |c| c.2);
        let cell = regex::Regex::new(r#"<c r="([A-Z]+)(\d+)"( s="(\d+)")? t="s"><v>(\d+)</v>"#).unwrap();
        for c in cell.captures_iter(&self.xml) {
            texts += 1;
            let (col, row) = (column(&c[1]), c[2].parse::<u32>().unwrap() - 1);
            let style: usize = c.get(4).map_or(0, |m| m.as_str().parse().unwrap());
            let text = &strings[c[5].parse::<usize>().unwrap()];
            let (last_col, last_row) =
                merges.iter().find(|m| m.0 == col && m.1 == row).map_or((col, row), |m| (m.2, m.3));
            let width: f64 = (col..=last_col).map(column_width).sum();
            let height: f64 = (row..=last_row).map(|r| heights.get(&r).copied().unwrap_or(15.0)).sum();
            let (wraps, size) = styles.get(style).map_or((false, 11.0), |s| (s.wraps, s.size));
            // Widths are in 11-point characters; a bigger font takes more.
            let lines: Vec<f64> =
                text.split('\n').map(|l| unicode_width::UnicodeWidthStr::width(l) as f64 * size / 11.0).collect();
            if wraps {
                let needed: f64 = lines.iter().map(|w| (w * 0.9 / (width - 0.5)).ceil().max(1.0)).sum();
                assert!(
                    height >= needed * 12.0 * size / 11.0,
                    "{at} {}{}: {text:?} needs {needed} lines, the row is {height} pt",
                    &c[1],
                    &c[2]
                );
            } else {
                let widest = lines.iter().copied().fold(0.0, f64::max);
                assert!(widest <= width, "{at} {}{}: {text:?} is {widest} wide, its cell {width:.1}", &c[1], &c[2]);
            }
        }
        // Numbers: as wide as their format shows them (Excel and LibreOffice print ### when a
        // number does not fit).
        let number = regex::Regex::new(r#"<c r="([A-Z]+)(\d+)"( s="(\d+)")?><v>([^<]*)</v>"#).unwrap();
        for c in number.captures_iter(&self.xml) {
            numbers += 1;
            let col = column(&c[1]);
            let style = c.get(4).map_or(0, |m| m.as_str().parse::<usize>().unwrap());
            let Some(format) = styles.get(style).map(|s| s.format.as_str()) else { continue };
            let value: f64 = c[5].parse().unwrap();
            let shown = shown_number(value, format);
            let width = column_width(col);
            assert!(
                shown.len() as f64 + 1.0 <= width,
                "{at} {}{}: {value} shows as {shown:?}, its column is {width:.1} wide",
                &c[1],
                &c[2]
            );
        }
        (texts, numbers)
    }
}

/// A number as a format shows it: decimals from the format, thousands separators when it has
/// them, General as up to ten significant characters.
fn shown_number(value: f64, format: &str) -> String {
    if format == "General" {
        let s = format!("{value}");
        return s.chars().take(11).collect();
    }
    let decimals = format.split_once('.').map_or(0, |(_, d)| d.chars().take_while(|c| *c == '0').count());
    let plain = format!("{value:.decimals$}");
    if !format.contains(',') {
        return plain;
    }
    let (int, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{}", frac.map_or_else(String::new, |f| format!(".{f}")))
}

/// A column's letters as a 0-based index.
fn column(letters: &str) -> u32 {
    letters.bytes().fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1
}
