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
