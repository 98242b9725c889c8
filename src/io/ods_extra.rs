//! What calamine does not tell about an OpenDocument spreadsheet (.ods), read from its
//! `content.xml` with quick-xml: which number cells are percentages
//! (`office:value-type="percentage"`) and which rows and columns are hidden
//! (`table:visibility="collapse"` or `"filter"`).
//!
//! Rows and columns repeat (`number-rows-repeated`, often a million empty rows at the end):
//! positions are counted, never expanded beyond [`MAX_ROWS`] and [`MAX_COLUMNS`]. Best effort,
//! like the xlsx and xls readers: an unreadable part gives no extra facts.

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
}
