//! What calamine does not tell about an xlsx workbook, read from its XML parts with
//! quick-xml: which rows and columns the sender hid, and which formula cells carry no saved
//! result.
//!
//! A formula has no saved result when its cell has no `<v>` (openpyxl and other programs
//! write formulas that way), or when the workbook asks Excel to recalculate everything on
//! opening (`<calcPr fullCalcOnLoad="1"/>`, written by XlsxWriter-style libraries) and the
//! stored result is the placeholder `0` those libraries write. Everything here is best
//! effort: a part that cannot be read gives no extra facts, never an error, because calamine
//! has already read the values themselves.

use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufReader, Cursor, Read};

/// The extra facts of one sheet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SheetExtra {
    /// 1-based numbers of hidden rows.
    pub hidden_rows: BTreeSet<usize>,
    /// 0-based indexes of hidden columns.
    pub hidden_cols: BTreeSet<usize>,
    /// 0-based (row, column) of formula cells whose result was never saved.
    pub unsaved_formulas: HashSet<(usize, usize)>,
}

/// Never more than this many hidden columns are listed (a `<col min="1" max="16384">` is
/// common): beyond the sheet's used width they do not matter.
const MAX_COLUMNS: usize = 16_384;
/// How many hidden-column positions one sheet may list in all.
const COLUMN_BUDGET: usize = 1_000_000;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value.into_owned())
}

/// An attribute's raw bytes, borrowed from the tag when it holds no escapes (the sheet part is
/// read tag by tag, so per-cell lookups must not allocate).
fn raw_attr<'a>(e: &'a quick_xml::events::BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value)
}

/// A decimal number written in ASCII digits.
fn number(text: &str) -> Option<usize> {
    text.parse().ok()
}

fn truthy(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

/// Visit the start (and empty) tags of one XML part; `f` gets the local name and the tag.
fn each_tag(zip: &mut Zip<'_>, path: &str, mut f: impl FnMut(&str, &quick_xml::events::BytesStart<'_>)) -> bool {
    let Ok(file) = zip.by_name(path) else { return false };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(super::table::MAX_UNZIPPED)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => f(e.local_name().as_ref(), &e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    true
}

/// Resolve a relationship target against the folder of the part that names it.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn relationships(zip: &mut Zip<'_>, path: &str, base_dir: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    each_tag(zip, path, |name, e| {
        if name == "Relationship"
            && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
        {
            out.insert(id, resolve(base_dir, &target));
        }
    });
    out
}

/// "C7" → (6, 2), 0-based.
fn cell_ref(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters]
        .iter()
        .try_fold(0usize, |acc, b| Some(acc * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)))?;
    let row = number(std::str::from_utf8(&r[letters..]).ok()?)?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The workbook part and its relationships (id → target path).
fn workbook_part(zip: &mut Zip<'_>) -> (String, HashMap<String, String>) {
    let root = relationships(zip, "_rels/.rels", "");
    let workbook = root
        .values()
        .find(|t| t.ends_with("workbook.xml") || t.ends_with(".xml") && t.contains("workbook"))
        .cloned()
        .unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let dir = workbook.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let file = workbook.rsplit_once('/').map_or(workbook.as_str(), |(_, f)| f);
    let rels = relationships(zip, &format!("{dir}/_rels/{file}.rels"), &dir);
    (workbook, rels)
}

/// The extra facts of every worksheet, by sheet name.
pub fn read(bytes: &[u8]) -> HashMap<String, SheetExtra> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let (workbook, rels) = workbook_part(&mut zip);
    let mut sheets = Vec::new();
    let mut full_calc = false;
    each_tag(&mut zip, &workbook, |name, e| match name {
        "sheet" => {
            if let (Some(n), Some(id)) = (attr(e, "name"), attr(e, "id")) {
                sheets.push((n, id));
            }
        }
        "calcPr" => full_calc = truthy(attr(e, "fullCalcOnLoad")),
        _ => {}
    });
    let mut out = HashMap::new();
    for (name, id) in sheets {
        if let Some(path) = rels.get(&id) {
            out.insert(name, sheet_extra(&mut zip, path, full_calc));
        }
    }
    out
}

/// A copy of the workbook without its Excel 4 macro sheets, which calamine cannot open a
/// workbook with; and the names of the sheets left out. `None` when
/// there is nothing to leave out or the package cannot be rewritten.
pub fn without_macro_sheets(bytes: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let (workbook, rels) = workbook_part(&mut zip);
    let unreadable = |id: &str| rels.get(id).is_some_and(|t| t.contains("macrosheets/"));
    // Rewrite workbook.xml, copying every event but the <sheet> of such sheets.
    let mut text = String::new();
    zip.by_name(&workbook).ok()?.take(super::table::MAX_UNZIPPED).read_to_string(&mut text).ok()?;
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let mut left_out = Vec::new();
    let mut skipping = false;
    loop {
        match reader.read_event().ok()? {
            Event::Eof => break,
            Event::Empty(e) | Event::Start(e)
                if e.local_name().as_ref() == "sheet" && attr(&e, "id").is_some_and(|id| unreadable(&id)) =>
            {
                left_out.push(attr(&e, "name").unwrap_or_default());
                skipping = !text[..reader.buffer_position() as usize].ends_with("/>");
            }
            Event::End(e) if skipping && e.local_name().as_ref() == "sheet" => skipping = false,
            _ if skipping => {}
            event => writer.write_event(event).ok()?,
        }
    }
    if left_out.is_empty() {
        return None;
    }
    let xml = writer.into_inner();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).ok()?;
        if entry.name().ok().as_deref() == Some(workbook.as_str()) {
            drop(entry);
            out.start_file(workbook.as_str(), zip::write::SimpleFileOptions::default()).ok()?;
            std::io::Write::write_all(&mut out, &xml).ok()?;
        } else {
            out.raw_copy_file(entry).ok()?;
        }
    }
    Some((out.finish().ok()?.into_inner(), left_out))
}

/// Whether a sheet part may hold a hidden row or column or a formula — a byte scan, much
/// faster than reading its tags; most sheets have none, and then nothing else is read.
/// Errs towards yes: a false "yes" only costs the full read.
fn may_have_extras(zip: &mut Zip<'_>, path: &str) -> bool {
    use memchr::memmem::Finder;
    let Ok(file) = zip.by_name(path) else { return false };
    let mut file = file.take(super::table::MAX_UNZIPPED);
    let hidden = Finder::new(b"hidden");
    // A formula element, `<f>` or `<x:f t=…>`: "f" after "<" or ":" and not followed by a
    // name character (`<formula1>` is a data validation, not a formula).
    let formula = [Finder::new(b"<f"), Finder::new(b":f")];
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
    const CARRY: usize = 8;
    let mut chunk: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut block = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut block) {
            Ok(0) => return false,
            Ok(n) => n,
            Err(_) => return true, // let the full read decide
        };
        chunk.extend_from_slice(&block[..n]);
        if hidden.find(&chunk).is_some() {
            return true;
        }
        for f in &formula {
            // At the chunk's end the next byte is not known yet: count it as a formula.
            if f.find_iter(&chunk).any(|at| chunk.get(at + 2).is_none_or(|&b| !is_name(b))) {
                return true;
            }
        }
        let keep = chunk.len().min(CARRY);
        chunk.drain(..chunk.len() - keep);
    }
}

fn sheet_extra(zip: &mut Zip<'_>, path: &str, full_calc: bool) -> SheetExtra {
    let mut extra = SheetExtra::default();
    if !may_have_extras(zip, path) {
        return extra;
    }
    let Ok(file) = zip.by_name(path) else { return extra };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file.take(super::table::MAX_UNZIPPED)));
    let mut buf = Vec::new();
    // The cell being read: its position, whether it has a formula, its value text.
    let mut cell: Option<(usize, usize)> = None;
    let (mut formula, mut in_value, mut value, mut numeric) = (false, false, String::new(), true);
    let mut row_no = 0usize;
    let mut col_no = 0usize;
    let mut budget = COLUMN_BUDGET;
    loop {
        let event = reader.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => match e.local_name().as_ref() {
                "col" if truthy(attr(e, "hidden")) => {
                    let min: usize = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(1);
                    let max: usize = attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
                    // The listing has a budget, so a crafted file with a million <col> elements
                    // cannot make it slow.
                    for c in min.max(1)..=max.min(MAX_COLUMNS) {
                        if budget == 0 {
                            break;
                        }
                        budget -= 1;
                        extra.hidden_cols.insert(c - 1);
                    }
                }
                "row" => {
                    row_no = raw_attr(e, "r").and_then(|v| number(&v)).unwrap_or(row_no + 1);
                    col_no = 0;
                    if raw_attr(e, "hidden").is_some_and(|v| matches!(&*v, "1" | "true")) {
                        extra.hidden_rows.insert(row_no);
                    }
                }
                "c" => {
                    let pos = raw_attr(e, "r")
                        .and_then(|r| cell_ref(r.as_bytes()))
                        .unwrap_or((row_no.saturating_sub(1), col_no));
                    col_no = pos.1 + 1;
                    numeric = raw_attr(e, "t").is_none_or(|t| &*t == "n");
                    formula = false;
                    value.clear();
                    if matches!(event, Ok(Event::Start(_))) {
                        cell = Some(pos);
                    }
                }
                "f" => formula = true,
                "v" if matches!(event, Ok(Event::Start(_))) => in_value = true,
                _ => {}
            },
            // Only a formula's saved result matters here.
            Ok(Event::Text(ref t)) if in_value && formula => value.push_str(t),
            Ok(Event::End(ref e)) => match e.local_name().as_ref() {
                "v" => in_value = false,
                "c" => {
                    if let Some(pos) = cell.take()
                        && formula
                        && (value.trim().is_empty() || full_calc && numeric && value.trim() == "0")
                    {
                        extra.unsaved_formulas.insert(pos);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"C7"), Some((6, 2)));
        assert_eq!(cell_ref(b"AA10"), Some((9, 26)));
        assert_eq!(cell_ref(b"7"), None);
    }

    #[test]
    fn targets_resolve_against_their_folder() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/su", "../worksheets/s.xml"), "xl/worksheets/s.xml");
    }

    #[test]
    fn hidden_rows_columns_and_unsaved_formulas() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("表").unwrap();
        ws.write(0, 0, "a").unwrap();
        ws.write(3, 1, 5).unwrap();
        ws.write_formula(4, 2, "=1+1").unwrap(); // no result set: the placeholder 0
        ws.write_formula(5, 2, rust_xlsxwriter::Formula::new("=2+2").set_result("4")).unwrap();
        ws.set_row_hidden(3).unwrap();
        ws.set_column_hidden(1).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let extra = read(&bytes);
        let s = &extra["表"];
        assert_eq!(s.hidden_rows, BTreeSet::from([4]));
        assert!(s.hidden_cols.contains(&1) && !s.hidden_cols.contains(&0));
        assert_eq!(s.unsaved_formulas, HashSet::from([(4, 2)]));
    }
}
