//! What calamine does not tell about an old Excel (.xls, BIFF8) workbook, read from the
//! records of its `Workbook` stream: which number cells are formatted as percentages and
//! which rows and columns the sender hid. No maintained crate exposes these (calamine keeps
//! only whether a format is a date).
//!
//! Only the few records needed are read — BOUNDSHEET8, FORMAT and XF in the globals; ROW,
//! COLINFO, NUMBER, RK, MULRK and FORMULA in each sheet — each bounds-checked; anything
//! unexpected ends the reading with what was found so far (best effort: calamine has already
//! read the values themselves). BIFF5 and older files give no extra facts.
//!
//! [`tame`] prepares a workbook for calamine, which reads every sheet when the file is opened,
//! lays each out as one dense grid from its first to its farthest value and reserves room
//! for as many cells as the sheet's DIMENSIONS record claims: a 6 KB file with one stray
//! value at IV65536 needed a gigabyte. Sheets whose grid would be too large are blanked in a
//! copy of the file (their value records become BLANK records, which calamine skips) and
//! named, so the other sheets are still read.

use crate::io::table::is_percent_format;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{Cursor, Read};

/// The extra facts of one sheet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SheetExtra {
    /// 0-based (row, column) of number cells whose format shows a percentage.
    pub percent: HashSet<(usize, usize)>,
    /// 1-based numbers of hidden rows.
    pub hidden_rows: BTreeSet<usize>,
    /// 0-based indexes of hidden columns.
    pub hidden_cols: BTreeSet<usize>,
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const ROW: u16 = 0x0208;
const COLINFO: u16 = 0x007D;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;

/// Columns beyond this are not listed (a COLINFO may cover all 256).
const MAX_COLUMNS: usize = 256;

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The records of a stream from `offset`: (type, data), ending at the end of the stream or at
/// a record that runs past it.
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    records_at(stream, offset).map(|(_, typ, data)| (typ, data))
}

/// [`records`] with each record's offset in the stream.
fn records_at(stream: &[u8], offset: usize) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        let start = at;
        at += 4 + len;
        Some((start, typ, data))
    })
}

/// An XLUnicodeString's characters (`cch` of them after a flags byte at `at`).
fn unicode(d: &[u8], at: usize, cch: usize) -> Option<String> {
    let high = d.get(at)? & 1 == 1;
    let body = &d[at + 1..];
    if high {
        let units: Vec<u16> = body.chunks_exact(2).take(cch).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        (units.len() == cch).then(|| String::from_utf16_lossy(&units))
    } else {
        (body.len() >= cch).then(|| body[..cch].iter().map(|&b| char::from(b)).collect())
    }
}

/// The extra facts of every sheet of a BIFF8 workbook, by sheet name; empty when the file is
/// not one.
pub fn read(bytes: &[u8]) -> HashMap<String, SheetExtra> {
    let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return HashMap::new() };
    let mut stream = Vec::new();
    let opened = cf.open_stream("/Workbook").map(|s| s.take(bytes.len() as u64).read_to_end(&mut stream));
    if !matches!(opened, Ok(Ok(_))) {
        return HashMap::new();
    }
    // The globals: BIFF8 only.
    let mut recs = records(&stream, 0);
    match recs.next() {
        Some((BOF, d)) if u16_at(d, 0) == Some(0x0600) => {}
        _ => return HashMap::new(),
    }
    let mut sheets: Vec<(String, usize)> = Vec::new();
    let mut formats: HashMap<u16, bool> = HashMap::new();
    let mut xf_percent: Vec<bool> = Vec::new();
    for (typ, d) in recs {
        match typ {
            BOUNDSHEET => {
                // lbPlyPos u32, hsState u8, dt u8 (0 = worksheet), cch u8, then the name.
                if let (Some(pos), Some(&0), Some(&cch)) = (u32_at(d, 0), d.get(5), d.get(6))
                    && let Some(name) = unicode(d, 7, usize::from(cch))
                {
                    sheets.push((name, pos as usize));
                }
            }
            FORMAT => {
                if let (Some(ifmt), Some(cch)) = (u16_at(d, 0), u16_at(d, 2))
                    && let Some(code) = unicode(d, 4, usize::from(cch))
                {
                    formats.insert(ifmt, is_percent_format(&code));
                }
            }
            XF => {
                let ifmt = u16_at(d, 2).unwrap_or(0);
                // Built-in 9 (0%) and 10 (0.00%) are percentages.
                let pct = matches!(ifmt, 9 | 10) || formats.get(&ifmt).copied().unwrap_or(false);
                xf_percent.push(pct);
            }
            EOF => break,
            _ => {}
        }
    }
    let is_pct = |ixfe: Option<u16>| ixfe.is_some_and(|i| xf_percent.get(usize::from(i)).copied().unwrap_or(false));
    let mut out = HashMap::new();
    for (name, pos) in sheets {
        let mut extra = SheetExtra::default();
        let mut recs = records(&stream, pos);
        if !matches!(recs.next(), Some((BOF, _))) {
            continue;
        }
        for (typ, d) in recs {
            let cell = || Some((usize::from(u16_at(d, 0)?), usize::from(u16_at(d, 2)?)));
            match typ {
                ROW => {
                    if let (Some(rw), Some(flags)) = (u16_at(d, 0), u16_at(d, 12))
                        && flags & 0x0020 != 0
                    {
                        extra.hidden_rows.insert(usize::from(rw) + 1);
                    }
                }
                COLINFO => {
                    if let (Some(first), Some(last), Some(flags)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                        && flags & 1 != 0
                        && extra.hidden_cols.len() < MAX_COLUMNS
                    {
                        for c in usize::from(first)..=usize::from(last).min(MAX_COLUMNS - 1) {
                            extra.hidden_cols.insert(c);
                        }
                    }
                }
                NUMBER | RK | FORMULA => {
                    if is_pct(u16_at(d, 4))
                        && let Some(at) = cell()
                    {
                        extra.percent.insert(at);
                    }
                }
                MULRK => {
                    // rw, colFirst, then (ixfe u16, rk u32) per cell, then colLast.
                    if let (Some(rw), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) {
                        let n = d.len().saturating_sub(6) / 6;
                        for k in 0..n {
                            if is_pct(u16_at(d, 4 + 6 * k)) {
                                extra.percent.insert((usize::from(rw), usize::from(first) + k));
                            }
                        }
                    }
                }
                EOF => break,
                _ => {}
            }
        }
        out.insert(name, extra);
    }
    out
}

/// The most cells one sheet's grid may have: 4 million (a full-width ledger of 65,536 rows
/// uses about 650,000). calamine holds about 32 bytes a cell.
pub const MAX_SHEET_CELLS: u64 = 4_000_000;
/// The most cells all sheets of one workbook may have together.
pub const MAX_BOOK_CELLS: u64 = 8_000_000;

/// How far one sheet's values spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    /// Rows and columns from the first to the farthest value.
    pub rows: u64,
    pub cols: u64,
    /// How many values.
    pub values: u64,
    /// 0-based (row, column) of the value farthest down, and of the one farthest right.
    pub last_row: (u32, u32),
    pub last_col: (u32, u32),
}

impl Spread {
    pub fn cells(&self) -> u64 {
        self.rows.saturating_mul(self.cols)
    }
}

/// A sheet not read because its grid would be too large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Position of the sheet among the workbook's sheets (calamine's order).
    pub index: usize,
    pub spread: Spread,
    /// The sheet alone is within [`MAX_SHEET_CELLS`]; the workbook's other sheets used up
    /// [`MAX_BOOK_CELLS`].
    pub by_book: bool,
}

const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const LABELSST: u16 = 0x00FD;
const STRING: u16 = 0x0207;
const BLANK: u16 = 0x0201;
const DIMENSIONS: u16 = 0x0200;

/// Make an old Excel workbook safe to open with calamine (see the module comment): every
/// DIMENSIONS record is set to one cell (calamine only uses it to reserve room) and the value
/// records of sheets too large to lay out are blanked. Returns the bytes to open and the
/// sheets blanked. A file that is not a compound file with a workbook stream, or whose
/// stream cannot be rewritten, is returned as it is.
pub fn tame(mut bytes: Vec<u8>) -> (Vec<u8>, Vec<Refused>) {
    let (name, mut stream) = {
        let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes.as_slice())) else { return (bytes, Vec::new()) };
        let name = if cf.is_stream("/Workbook") { "/Workbook" } else { "/Book" };
        let mut stream = Vec::new();
        let read = cf.open_stream(name).map(|s| s.take(bytes.len() as u64).read_to_end(&mut stream));
        if !matches!(read, Ok(Ok(_))) {
            return (bytes, Vec::new());
        }
        (name, stream)
    };
    let refused = blank_large_sheets(&mut stream);
    let written = cfb::CompoundFile::open(Cursor::new(&mut bytes)).and_then(|mut cf| {
        let mut s = cf.open_stream(name)?;
        std::io::Write::write_all(&mut s, &stream)?;
        std::io::Write::flush(&mut s)?;
        drop(s);
        cf.flush()
    });
    match written {
        Ok(()) => (bytes, refused),
        // Cannot happen to a file just read; if it did, refuse every sheet rather than risk it.
        Err(_) => (Vec::new(), refused),
    }
}

/// The sheets' positions in the stream, in BOUNDSHEET order (calamine's order).
fn sheet_positions(stream: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for (typ, d) in records(stream, 0) {
        match typ {
            BOUNDSHEET => out.extend(u32_at(d, 0).map(|p| p as usize)),
            EOF => break,
            _ => {}
        }
    }
    out
}

/// The value records of the sheet at `pos` (their offsets) and how far they spread, the way
/// calamine reads them: from the sheet's BOF to its EOF, skipping nested substreams
/// (embedded charts).
fn sheet_values(stream: &[u8], pos: usize) -> (Vec<usize>, Vec<usize>, Option<Spread>) {
    let (mut values, mut dimensions) = (Vec::new(), Vec::new());
    let (mut lo, mut hi) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let (mut last_row, mut last_col) = ((0u32, 0u32), (0u32, 0u32));
    let mut count = 0u64;
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut note = |r: u32, c: u32| {
        count += 1;
        lo = (lo.0.min(r), lo.1.min(c));
        if r >= hi.0 {
            hi.0 = r;
            last_row = (r, c);
        }
        if c >= hi.1 {
            hi.1 = c;
            last_col = (r, c);
        }
    };
    for (at, typ, d) in records_at(stream, pos) {
        if depth > 0 {
            match typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let place = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => dimensions.push(at),
            NUMBER | LABEL | RSTRING | BOOLERR | RK | LABELSST | FORMULA => {
                values.push(at);
                if let Some((r, c)) = place() {
                    note(r, c);
                }
            }
            STRING => values.push(at),
            MULRK => {
                values.push(at);
                if let Some((r, c)) = place() {
                    let n = d.len().saturating_sub(6) / 6;
                    for k in 0..n as u32 {
                        note(r, c + k);
                    }
                }
            }
            _ => {}
        }
    }
    let spread = (count > 0).then(|| Spread {
        rows: u64::from(hi.0 - lo.0) + 1,
        cols: u64::from(hi.1 - lo.1) + 1,
        values: count,
        last_row,
        last_col,
    });
    (values, dimensions, spread)
}

/// Set every DIMENSIONS record to one cell and blank the values of sheets too large to lay
/// out, in place (no record changes length).
fn blank_large_sheets(stream: &mut [u8]) -> Vec<Refused> {
    let mut refused = Vec::new();
    let mut book_cells = 0u64;
    for (index, pos) in sheet_positions(stream).into_iter().enumerate() {
        let (values, dimensions, spread) = sheet_values(stream, pos);
        for at in dimensions {
            // rwMic, rwMac, colMic, colMac (u16 rows in BIFF5, u32 in BIFF8): all zero.
            let len = usize::from(u16_at(stream, at + 2).unwrap_or(0));
            if let Some(d) = stream.get_mut(at + 4..at + 4 + len) {
                d.fill(0);
            }
        }
        let Some(spread) = spread else { continue };
        let cells = spread.cells();
        let by_book = cells <= MAX_SHEET_CELLS && book_cells + cells > MAX_BOOK_CELLS;
        if cells <= MAX_SHEET_CELLS && !by_book {
            book_cells += cells;
            continue;
        }
        for at in values {
            if let Some(t) = stream.get_mut(at..at + 2) {
                t.copy_from_slice(&BLANK.to_le_bytes());
            }
        }
        refused.push(Refused { index, spread, by_book });
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    /// A hand-made BIFF8 workbook stream: one sheet 表 with B2 = 0.973 in XF 1 (0.0%), B3 in
    /// XF 0, row 4 hidden and column C hidden.
    fn workbook() -> Vec<u8> {
        let mut globals = rec(BOF, &[0x00, 0x06, 0x05, 0x00]);
        let mut fmt = 164u16.to_le_bytes().to_vec();
        fmt.extend(4u16.to_le_bytes());
        fmt.push(0);
        fmt.extend(b"0.0%");
        globals.extend(rec(FORMAT, &fmt));
        globals.extend(rec(XF, &[0, 0, 0, 0]));
        globals.extend(rec(XF, &[0, 0, 164, 0]));
        let name: Vec<u8> = "表".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let bs_len = 4 + 8 + name.len(); // header + pos, state, type, cch, flags + name
        let sheet_pos = globals.len() + bs_len + 4; // + the EOF record
        let mut bs = (sheet_pos as u32).to_le_bytes().to_vec();
        bs.extend([0, 0, 1, 1]);
        bs.extend(&name);
        globals.extend(rec(BOUNDSHEET, &bs));
        globals.extend(rec(EOF, &[]));
        let mut sheet = rec(BOF, &[0x00, 0x06, 0x10, 0x00]);
        let mut row = 3u16.to_le_bytes().to_vec();
        row.extend([0; 10]);
        row.extend(0x0020u16.to_le_bytes());
        row.extend([0, 0]);
        sheet.extend(rec(ROW, &row));
        sheet.extend(rec(COLINFO, &[2, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
        let mut num = vec![1, 0, 1, 0, 1, 0];
        num.extend(0.973f64.to_le_bytes());
        sheet.extend(rec(NUMBER, &num));
        let mut num = vec![2, 0, 1, 0, 0, 0];
        num.extend(95f64.to_le_bytes());
        sheet.extend(rec(NUMBER, &num));
        sheet.extend(rec(EOF, &[]));
        globals.extend(sheet);
        globals
    }

    proptest::proptest! {
        /// Damaged streams end the reading quietly: flipped bytes, cut records, any length.
        #[test]
        fn any_damage_is_survived(flips in proptest::collection::vec((0usize..400, proptest::num::u8::ANY), 0..40), cut in 0usize..400) {
            let mut stream = workbook();
            for (at, b) in flips {
                if let Some(x) = stream.get_mut(at) {
                    *x = b;
                }
            }
            stream.truncate(cut.max(4));
            let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            std::io::Write::write_all(&mut cf.create_stream("/Workbook").unwrap(), &stream).unwrap();
            cf.flush().unwrap();
            let _ = read(&cf.into_inner().into_inner());
        }
    }

    fn compound(stream: &[u8]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        std::io::Write::write_all(&mut cf.create_stream("/Workbook").unwrap(), stream).unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    fn workbook_stream(bytes: &[u8]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        cf.open_stream("/Workbook").unwrap().read_to_end(&mut out).unwrap();
        out
    }

    /// [`workbook`] with a DIMENSIONS record claiming the whole sheet and, when `far`, one
    /// more value at IV65536.
    fn claiming_whole_sheet(far: bool) -> Vec<u8> {
        let mut stream = workbook();
        let sheet = sheet_positions(&stream)[0];
        let mut dims = Vec::new();
        dims.extend(0u32.to_le_bytes());
        dims.extend(65536u32.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        dims.extend(256u16.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        let mut extra = rec(DIMENSIONS, &dims);
        if far {
            let mut num = vec![0xFF, 0xFF, 0xFF, 0, 0, 0];
            num.extend(1f64.to_le_bytes());
            extra.extend(rec(NUMBER, &num));
        }
        // After the sheet's BOF (8 bytes): the sheet's position does not move.
        let at = sheet + 8;
        stream.splice(at..at, extra);
        stream
    }

    #[test]
    fn tame_sets_dimensions_to_one_cell_and_keeps_values() {
        let (bytes, refused) = tame(compound(&claiming_whole_sheet(false)));
        assert!(refused.is_empty());
        let stream = workbook_stream(&bytes);
        let sheet = sheet_positions(&stream)[0];
        let (values, dims, spread) = sheet_values(&stream, sheet);
        assert_eq!(values.len(), 2);
        assert_eq!(dims.len(), 1);
        assert!(stream[dims[0] + 4..dims[0] + 18].iter().all(|&b| b == 0));
        let s = spread.unwrap();
        assert_eq!((s.rows, s.cols, s.values), (2, 1, 2));
        // calamine reads the tamed file and its values.
        let mut xls = calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let range = xls.worksheet_range("表").unwrap();
        assert_eq!(range.get_value((1, 1)), Some(&calamine::Data::Float(0.973)));
    }

    #[test]
    fn tame_blanks_a_sheet_spread_to_its_last_cell() {
        let (bytes, refused) = tame(compound(&claiming_whole_sheet(true)));
        assert_eq!(refused.len(), 1);
        let r = &refused[0];
        assert_eq!((r.index, r.by_book), (0, false));
        // From B2 (the first value) to IV65536.
        assert_eq!((r.spread.rows, r.spread.cols, r.spread.values), (65535, 255, 3));
        assert_eq!(r.spread.last_row, (65535, 255));
        let mut xls = calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        assert!(xls.worksheet_range("表").unwrap().is_empty());
    }

    #[test]
    fn percent_cells_and_hidden_rows_and_columns() {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        std::io::Write::write_all(&mut cf.create_stream("/Workbook").unwrap(), &workbook()).unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        let extra = read(&bytes);
        let s = &extra["表"];
        assert_eq!(s.percent, HashSet::from([(1, 1)]));
        assert_eq!(s.hidden_rows, BTreeSet::from([4]));
        assert_eq!(s.hidden_cols, BTreeSet::from([2]));
    }
}
