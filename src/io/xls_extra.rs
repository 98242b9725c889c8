//! What calamine does not tell about an old Excel (.xls, BIFF8) workbook, read from the
//! records of its `Workbook` stream: which number cells are formatted as percentages and
//! which rows and columns the sender hid. No maintained crate exposes these (calamine keeps
//! only whether a format is a date).
//!
//! Only the few records needed are read — BOUNDSHEET8, FORMAT and XF in the globals; ROW,
//! COLINFO, NUMBER, RK, MULRK and FORMULA in each sheet — each bounds-checked; anything
//! unexpected ends the reading with what was found so far (best effort: calamine has already
//! read the values themselves). BIFF5 and older files give no extra facts.

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
    let mut at = offset;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
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
