//! What calamine does not tell about an OpenDocument spreadsheet (.ods), read from its
//! `content.xml` with quick-xml: which number cells are percentages
//! (`office:value-type="percentage"`) and which rows and columns are hidden
//! (`table:visibility="collapse"` or `"filter"`).
//!
//! Rows and columns repeat (`number-rows-repeated`, often a million empty rows at the end):
//! positions are counted, never expanded beyond [`MAX_ROWS`] and [`MAX_COLUMNS`]. Best effort,
//! like the xlsx and xls readers: an unreadable part gives no extra facts.
//!
//! [`tame`] prepares the file for calamine, which reads every sheet when the file is opened
//! and lays each out as one dense grid, repeats expanded, from its first to its farthest
//! value (an 8 KB file with one stray value at IV65536 needed a gigabyte): the rows of sheets
//! too large to lay out are left out of a copy of the file, and the sheets named.

use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufReader, Cursor, Read};

/// The extra facts of one sheet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SheetExtra {
    /// 0-based (row, column) of percentage cells.
    pub percent: HashSet<(usize, usize)>,
    /// 1-based numbers of hidden rows.
    pub hidden_rows: BTreeSet<usize>,
    /// 0-based indexes of hidden columns.
    pub hidden_cols: BTreeSet<usize>,
}

/// Positions beyond these are not listed (no score sheet reaches them).
const MAX_ROWS: usize = 1_000_000;
const MAX_COLUMNS: usize = 16_384;
/// A run of more repeated rows or columns than this is empty space (the million blank rows
/// at a sheet's end), not hidden data: it is counted, not listed, so a crafted file cannot
/// make the listing slow or large.
const MAX_RUN: usize = 10_000;

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value.into_owned())
}

fn repeated(e: &BytesStart<'_>, name: &str) -> usize {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

fn hidden(e: &BytesStart<'_>) -> bool {
    matches!(attr(e, "visibility").as_deref(), Some("collapse" | "filter"))
}

/// The extra facts of every sheet, by sheet name.
pub fn read(bytes: &[u8]) -> HashMap<String, SheetExtra> {
    let mut out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return out };
    let Ok(file) = zip.by_name("content.xml") else { return out };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(super::table::MAX_UNZIPPED)));
    let mut buf = Vec::new();
    let mut sheet: Option<(String, SheetExtra)> = None;
    let (mut row, mut next_col) = (0usize, 0usize);
    loop {
        let event = reader.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => match e.local_name().as_ref() {
                "table" => {
                    sheet = Some((attr(e, "name").unwrap_or_default(), SheetExtra::default()));
                    (row, next_col) = (0, 0);
                }
                "table-column" => {
                    let n = repeated(e, "number-columns-repeated");
                    if let Some((_, s)) = &mut sheet
                        && hidden(e)
                        && n <= MAX_RUN
                    {
                        for c in next_col..(next_col + n).min(MAX_COLUMNS) {
                            s.hidden_cols.insert(c);
                        }
                    }
                    next_col = next_col.saturating_add(n);
                }
                "table-row" => {
                    let n = repeated(e, "number-rows-repeated");
                    if let Some((_, s)) = &mut sheet
                        && hidden(e)
                        && n <= MAX_RUN
                    {
                        for r in row..(row + n).min(MAX_ROWS) {
                            s.hidden_rows.insert(r + 1);
                        }
                    }
                    let mut col = 0;
                    // The cells of a repeated row are listed for its first copy only (a
                    // percentage in a block of repeated rows does not occur in score sheets).
                    if matches!(event, Ok(Event::Start(_))) {
                        buf.clear();
                        row_cells(&mut reader, &mut buf, &mut sheet, row, &mut col);
                    }
                    row = row.saturating_add(n);
                    buf.clear();
                    continue;
                }
                _ => {}
            },
            Ok(Event::End(ref e)) if e.local_name().as_ref() == "table" => {
                if let Some((name, s)) = sheet.take() {
                    out.insert(name, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The cells of one row (after its start tag, up to its end tag): percentages noted.
fn row_cells<R: std::io::BufRead>(
    reader: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    sheet: &mut Option<(String, SheetExtra)>,
    row: usize,
    col: &mut usize,
) {
    loop {
        let event = reader.read_event_into(buf);
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                let name = e.local_name();
                if name.as_ref() == "table-cell" || name.as_ref() == "covered-table-cell" {
                    let n = repeated(e, "number-columns-repeated");
                    if attr(e, "value-type").as_deref() == Some("percentage")
                        && n <= MAX_RUN
                        && let Some((_, s)) = sheet
                    {
                        for c in *col..(*col + n).min(MAX_COLUMNS) {
                            s.percent.insert((row, c));
                        }
                    }
                    *col = col.saturating_add(n);
                }
            }
            Ok(Event::End(ref e)) if e.local_name().as_ref() == "table-row" => return,
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
        buf.clear();
    }
}

use crate::io::xls_extra::{MAX_BOOK_CELLS, MAX_SHEET_CELLS, Spread};

/// A sheet left out by [`tame`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub name: String,
    pub spread: Spread,
    /// The sheet alone fits; the workbook's sheets together do not.
    pub by_book: bool,
}

/// How far one table's values spread, the way calamine lays them out: rows and columns with
/// their repeats, from the first non-empty cell to the farthest; and how many cells calamine
/// holds before laying out (each row element up to its last value).
#[derive(Default)]
struct TableSpread {
    values: u64,
    first_row: Option<u64>,
    last_row: (u64, u64),
    first_col: Option<u64>,
    last_col: (u64, u64),
    raw: u64,
}

impl TableSpread {
    fn spread(&self) -> Option<(Spread, u64)> {
        let first = self.first_row?;
        let rows = self.last_row.0.saturating_sub(first) + 1;
        let cols = self.last_col.1.saturating_sub(self.first_col.unwrap_or(0)) + 1;
        let clamp = |(r, c): (u64, u64)| (u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX));
        let spread =
            Spread { rows, cols, values: self.values, last_row: clamp(self.last_row), last_col: clamp(self.last_col) };
        Some((spread, spread.cells().max(self.raw)))
    }
}

/// A cell calamine keeps as a value: it has a type, a formula or content.
fn has_value(e: &BytesStart<'_>, is_start: bool) -> bool {
    is_start || attr(e, "value-type").is_some() || attr(e, "formula").is_some()
}

/// The spread of every table of content.xml, in order.
fn spreads(content: impl std::io::BufRead) -> Vec<(String, TableSpread)> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut out: Vec<(String, TableSpread)> = Vec::new();
    let (mut row, mut col, mut row_repeats, mut row_last) = (0u64, 0u64, 1u64, None::<u64>);
    loop {
        let event = reader.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                let start = matches!(event, Ok(Event::Start(_)));
                match e.local_name().as_ref() {
                    "table" => {
                        out.push((attr(e, "name").unwrap_or_default(), TableSpread::default()));
                        row = 0;
                    }
                    "table-row" => {
                        (col, row_last) = (0, None);
                        row_repeats = repeated(e, "number-rows-repeated") as u64;
                        if !start {
                            row = row.saturating_add(row_repeats);
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        let n = repeated(e, "number-columns-repeated") as u64;
                        if has_value(e, start)
                            && let Some((_, t)) = out.last_mut()
                        {
                            let last = col.saturating_add(n - 1);
                            let bottom = row.saturating_add(row_repeats - 1);
                            t.values = t.values.saturating_add(n.saturating_mul(row_repeats));
                            t.first_row.get_or_insert(row);
                            t.first_col = Some(t.first_col.map_or(col, |c| c.min(col)));
                            if bottom >= t.last_row.0 {
                                t.last_row = (bottom, last);
                            }
                            if last >= t.last_col.1 {
                                t.last_col = (bottom, last);
                            }
                            row_last = Some(last);
                        }
                        col = col.saturating_add(n);
                    }
                    _ => {}
                }
            }
            Ok(Event::End(ref e)) if e.local_name().as_ref() == "table-row" => {
                if let (Some(last), Some((_, t))) = (row_last, out.last_mut()) {
                    t.raw = t.raw.saturating_add(last + 1);
                }
                row = row.saturating_add(row_repeats);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Make an .ods safe to open with calamine (see the module comment). Returns the bytes to
/// open (the file itself when every sheet fits) and the sheets left out.
pub fn tame(bytes: Vec<u8>) -> (Vec<u8>, Vec<Refused>) {
    let content = |bytes: &[u8]| -> Option<Vec<u8>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let file = zip.by_name("content.xml").ok()?;
        let mut out = Vec::new();
        file.take(super::table::MAX_UNZIPPED).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let Some(xml) = content(&bytes) else { return (bytes, Vec::new()) };
    let mut refused = Vec::new();
    let mut book_cells = 0u64;
    for (name, t) in spreads(xml.as_slice()) {
        let Some((spread, cells)) = t.spread() else { continue };
        let by_book = cells <= MAX_SHEET_CELLS && book_cells.saturating_add(cells) > MAX_BOOK_CELLS;
        if cells <= MAX_SHEET_CELLS && !by_book {
            book_cells += cells;
            continue;
        }
        refused.push(Refused { name, spread, by_book });
    }
    if refused.is_empty() {
        return (bytes, refused);
    }
    let names: HashSet<&str> = refused.iter().map(|r| r.name.as_str()).collect();
    match without_rows(&bytes, &xml, &names) {
        Some(out) => (out, refused),
        // Could not rewrite it: open nothing rather than risk the memory.
        None => (Vec::new(), refused),
    }
}

/// A copy of the .ods whose content.xml has no rows in the tables named.
fn without_rows(bytes: &[u8], xml: &[u8], tables: &HashSet<&str>) -> Option<Vec<u8>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    let mut buf = Vec::new();
    let (mut dropping, mut depth) = (false, 0usize);
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) if e.local_name().as_ref() == "table" => {
                dropping = attr(e, "name").is_some_and(|n| tables.contains(n.as_str()));
            }
            Event::End(e) if e.local_name().as_ref() == "table" => dropping = false,
            _ => {}
        }
        if dropping {
            match &event {
                Event::Start(e) if depth > 0 || e.local_name().as_ref() == "table-row" => {
                    depth += 1;
                    buf.clear();
                    continue;
                }
                Event::Empty(e) if depth > 0 || e.local_name().as_ref() == "table-row" => {
                    buf.clear();
                    continue;
                }
                Event::End(_) if depth > 0 => {
                    depth -= 1;
                    buf.clear();
                    continue;
                }
                _ if depth > 0 => {
                    buf.clear();
                    continue;
                }
                _ => {}
            }
        }
        writer.write_event(event).ok()?;
        buf.clear();
    }
    let content = writer.into_inner();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).ok()?;
        if file.name().ok().as_deref() == Some("content.xml") {
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            drop(file);
            out.start_file("content.xml", options).ok()?;
            std::io::Write::write_all(&mut out, &content).ok()?;
        } else {
            out.raw_copy_file(file).ok()?;
        }
    }
    Some(out.finish().ok()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn ods(content: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(content.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn percentages_and_hidden_rows_and_columns_with_repeats() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t"><office:body><office:spreadsheet>
<table:table table:name="表">
<table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>
<table:table-row><table:table-cell office:value-type="string"/><table:table-cell office:value-type="percentage" office:value="0.973"/></table:table-row>
<table:table-row table:visibility="collapse"><table:table-cell table:number-columns-repeated="2" office:value-type="percentage"/></table:table-row>
<table:table-row><table:covered-table-cell/><table:table-cell office:value-type="float"/><table:table-cell office:value-type="percentage"/></table:table-row>
<table:table-row table:number-rows-repeated="1048570" table:visibility="collapse"/>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let extra = read(&ods(content));
        let s = &extra["表"];
        assert_eq!(s.hidden_cols, BTreeSet::from([2]));
        assert_eq!(s.percent, HashSet::from([(0, 1), (1, 0), (1, 1), (2, 2)]));
        assert!(s.hidden_rows.contains(&2) && !s.hidden_rows.contains(&3));
        // A million repeated hidden rows are empty space: not listed.
        assert_eq!(s.hidden_rows.len(), 1);
    }

    #[test]
    fn tame_leaves_out_the_rows_of_a_sheet_spread_too_far_and_keeps_the_others() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
<table:table table:name="评分"><table:table-row><table:table-cell office:value-type="string"><text:p>单位名称</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="草稿"><table:table-row><table:table-cell office:value-type="string"><text:p>备注</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="65534"><table:table-cell table:number-columns-repeated="256"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="255"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let (bytes, refused) = tame(ods(content));
        assert_eq!(refused.len(), 1);
        let r = &refused[0];
        assert_eq!((r.name.as_str(), r.by_book), ("草稿", false));
        assert_eq!((r.spread.rows, r.spread.cols, r.spread.values), (65536, 256, 2));
        assert_eq!(r.spread.last_row, (65535, 255));
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("content.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("单位名称") && !xml.contains("备注") && xml.contains(r#"table:name="草稿""#), "{xml}");
        // Repeated empty rows and cells are space, not values: a sheet that only looks large fits.
        let fits = content.replace(r#"<table:table-cell table:number-columns-repeated="255"/><table:table-cell office:value-type="float" office:value="1"/>"#, "<table:table-cell/>");
        let original = ods(&fits);
        let (bytes, refused) = tame(original.clone());
        assert!(refused.is_empty());
        assert_eq!(bytes, original);
    }
}
