//! The ledger file: UTF-8 CSV with the header `period,subject,indicator,rater,evaluator,
//! value,source`. Written row by row as entries arrive; read row by row.

use crate::core::import::ledger::{Entry, EntryRef, Issue, LEDGER_HEADER, column_letters};
use crate::core::msg::Msg;
use crate::{Lang, tr};
use anyhow::{Context, Result};
use rust_decimal::Decimal;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

/// Write ledger entries as CSV.
pub struct LedgerWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> LedgerWriter<W> {
    pub fn new(w: W, header: bool) -> Result<Self> {
        let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(w);
        if header {
            csv.write_record(LEDGER_HEADER)?;
        }
        Ok(LedgerWriter { csv })
    }

    pub fn write(&mut self, e: &Entry) -> Result<()> {
        self.write_ref(e.as_ref())
    }

    pub fn write_ref(&mut self, e: EntryRef<'_>) -> Result<()> {
        let value = e.value.normalize().to_string();
        let t = crate::io::csv_safe;
        self.csv.write_record([
            t(e.period).as_ref(),
            t(e.subject).as_ref(),
            t(e.indicator).as_ref(),
            t(e.rater).as_ref(),
            t(e.evaluator).as_ref(),
            &value,
            t(e.source).as_ref(),
        ])?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W> {
        self.csv.flush()?;
        self.csv.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))
    }
}

/// A problem reading a ledger, with its line.
#[derive(Debug)]
pub struct LedgerError {
    pub line: usize,
    pub msg: Msg,
}

/// One line parsed by the reading thread: its fields (checked UTF-8), value and line number.
struct Row {
    record: csv::StringRecord,
    value: Decimal,
    line: usize,
}

/// Rows handed from the reading thread to the caller's, in batches.
const BATCH: usize = 4096;

/// Read a ledger, calling `f` with each entry (borrowed from the line; see
/// [`EntryRef::to_entry`]) and its line number. Every field must be UTF-8 and the value a
/// number, or reading stops with the line's error.
///
/// Two threads share the work: one parses lines (CSV, UTF-8, the number) in batches, the
/// caller's thread runs `f`; memory is bounded by a few batches in flight.
pub fn read_ledger(
    path: &Path,
    mut f: impl FnMut(EntryRef<'_>, usize),
) -> Result<std::result::Result<(), LedgerError>> {
    let file = File::open(path).with_context(|| {
        tr(&format!("无法读取台账 {}", path.display()), &format!("cannot read ledger {}", path.display()))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 20)
        .from_reader(crate::io::progress::counted(file));
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Ok(Err(LedgerError { line: 1, msg: Msg::CsvSyntax { detail: e.to_string() } }));
        }
    };
    let found: Vec<String> = headers.iter().map(|h| h.trim_start_matches('\u{feff}').to_owned()).collect();
    if found != LEDGER_HEADER {
        let missing = LEDGER_HEADER.iter().find(|h| !found.iter().any(|f| f == *h)).copied().unwrap_or("period");
        return Ok(Err(LedgerError { line: 1, msg: Msg::LedgerMissingColumn { column: missing.into(), found } }));
    }
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<Row>>(4);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Row>>();
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || -> std::result::Result<(), LedgerError> {
            let mut byte_record = csv::ByteRecord::new();
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
                let mut spare: Vec<csv::StringRecord> = batch.drain(..).map(|r| r.record).collect();
                let mut failed = None;
                while batch.len() < BATCH {
                    match reader.read_byte_record(&mut byte_record) {
                        Ok(false) => break,
                        Ok(true) => match parse_row(&byte_record, spare.pop()) {
                            Ok(row) => batch.push(row),
                            Err(e) => {
                                failed = Some(e);
                                break;
                            }
                        },
                        Err(e) => {
                            let line = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                            failed = Some(LedgerError { line, msg: Msg::CsvSyntax { detail: e.to_string() } });
                            break;
                        }
                    }
                }
                let last = failed.is_some() || batch.len() < BATCH;
                // The rows before an error are delivered, then the error; a caller that stopped
                // listening (it failed) stops the reading.
                if full_tx.send(batch).is_err() || last {
                    return failed.map_or(Ok(()), Err);
                }
            }
        });
        for batch in full_rx {
            for row in &batch {
                let r = &row.record;
                let field = |i: usize| crate::io::csv_unsafe(r.get(i).unwrap_or(""));
                let e = EntryRef {
                    period: field(0),
                    subject: field(1),
                    indicator: field(2),
                    rater: field(3),
                    evaluator: field(4),
                    value: row.value,
                    source: field(6),
                };
                f(e, row.line);
            }
            // Back to the parser with its records, to be filled again (no allocation per row).
            let _ = empty_tx.send(batch);
        }
        match parser.join() {
            Ok(result) => Ok(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// `86.6`, `0`, `100.25` — unsigned digits with at most one point and 18 digits — as an exact
/// scaled integer, the form of nearly every value perf writes; anything else (a sign, an
/// exponent, spaces, more digits) is left to `Decimal::from_str`. Gives exactly what
/// `Decimal::from_str` gives.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let (mut mantissa, mut scale, mut point, mut digits) = (0i64, 0u32, false, 0);
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                digits += 1;
                if point {
                    scale += 1;
                }
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    (digits > 0 && digits <= 18).then(|| Decimal::new(mantissa, scale))
}

/// Check one line: seven fields, UTF-8, a number in `value`.
fn parse_row(bytes: &csv::ByteRecord, spare: Option<csv::StringRecord>) -> std::result::Result<Row, LedgerError> {
    let line = bytes.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    if bytes.len() != LEDGER_HEADER.len() {
        let (n, want) = (bytes.len(), LEDGER_HEADER.len());
        let detail =
            format!("第 {line} 行有 {n} 列，表头有 {want} 列 / line {line} has {n} fields, the header has {want}");
        return Err(LedgerError { line, msg: Msg::CsvSyntax { detail } });
    }
    let mut record = spare.unwrap_or_default();
    record.clear();
    let Ok(text) = std::str::from_utf8(bytes.as_slice()) else {
        let bad = (0..bytes.len()).find(|&i| std::str::from_utf8(&bytes[i]).is_err()).unwrap_or(0) + 1;
        let detail = format!("第 {line} 行第 {bad} 列不是 UTF-8 文本 / line {line}, field {bad} is not UTF-8");
        return Err(LedgerError { line, msg: Msg::CsvSyntax { detail } });
    };
    // The fields are slices of the record's text, checked once above: a field is cut at ASCII
    // delimiters, never inside a character, so it is found in `text` by its offset.
    let base = bytes.as_slice().as_ptr() as usize;
    for field in bytes {
        let shown = (field.as_ptr() as usize)
            .checked_sub(base)
            .and_then(|start| text.get(start..start + field.len()))
            .or_else(|| std::str::from_utf8(field).ok())
            .unwrap_or("");
        record.push_field(shown);
    }
    let value_text = record.get(5).unwrap_or("");
    let Some(value) = plain_decimal(value_text).or_else(|| Decimal::from_str(value_text.trim()).ok()) else {
        let code = crate::io::csv_unsafe(record.get(2).unwrap_or("")).to_owned();
        let msg = Msg::NotNumber { code, value: crate::io::csv_unsafe(value_text).to_owned() };
        return Err(LedgerError { line, msg });
    };
    // Sums over millions of rows stay exact (and cannot overflow) below this magnitude.
    if value.abs() >= crate::core::import::cell::VALUE_LIMIT {
        let limit = crate::core::import::cell::VALUE_LIMIT;
        let msg = Msg::ValueOutOfRange {
            code: crate::io::csv_unsafe(record.get(2).unwrap_or("")).to_owned(),
            value: value_text.trim().to_owned(),
            min: Some(-limit),
            max: Some(limit),
        };
        return Err(LedgerError { line, msg });
    }
    Ok(Row { record, value, line })
}

/// The issues file's columns: the file format's contract.
pub const ISSUES_HEADER: [&str; 8] = ["severity", "code", "message", "file", "sheet", "row", "column", "value"];

/// Write import issues as CSV.
pub struct IssueWriter<W: Write> {
    csv: csv::Writer<W>,
    lang: Lang,
}

impl<W: Write> IssueWriter<W> {
    pub fn new(w: W, lang: Lang) -> Result<Self> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(ISSUES_HEADER)?;
        Ok(IssueWriter { csv, lang })
    }

    pub fn write(&mut self, i: &Issue) -> Result<()> {
        let l = &i.location;
        let t = crate::io::csv_safe;
        self.csv.write_record([
            i.severity.as_str(),
            i.msg.code(),
            t(&i.msg.text(self.lang)).as_ref(),
            t(&l.file).as_ref(),
            t(&l.sheet).as_ref(),
            &l.row.map_or_else(String::new, |r| r.to_string()),
            &l.column.map_or_else(String::new, column_letters),
            t(&i.value).as_ref(),
        ])?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W> {
        self.csv.flush()?;
        self.csv.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))
    }
}

/// The column names on a file's first line (a BOM dropped, the quotes a spreadsheet adds
/// when it saves a CSV again removed); empty when the file cannot be read.
fn first_line_names(path: &Path) -> Vec<String> {
    use std::io::Read;
    let mut head = [0u8; 128];
    let n = File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..n]);
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").trim_end().to_owned();
    first.split(',').map(|n| n.trim_matches('"').to_owned()).collect()
}

/// Whether a file is a perf ledger, possibly damaged: its first line has `source` and most of
/// the ledger's columns (a missing column is then reported by [`read_ledger`], not guessed
/// around).
pub fn looks_like_ledger(path: &Path) -> bool {
    let names = first_line_names(path);
    names.iter().any(|n| n == "source") && LEDGER_HEADER.iter().filter(|h| names.iter().any(|n| n == *h)).count() >= 4
}

/// Whether a file is a ledger or an issues list exactly as perf writes them (skipped when
/// met again in an input folder).
pub fn is_perf_output(path: &Path) -> bool {
    let names = first_line_names(path);
    names == LEDGER_HEADER || names == ISSUES_HEADER
}

/// The issues list beside a ledger (`issues.csv` in its folder) that claims to belong to it
/// (its `ledger-digest` row names the ledger's file) but carries another SHA-256: the import
/// that wrote them was interrupted between putting the ledger and the issues list in place.
pub fn stale_issues(ledger: &Path) -> Option<std::path::PathBuf> {
    use sha2::{Digest, Sha256};
    let issues = ledger.parent().unwrap_or(Path::new(".")).join("issues.csv");
    let name = ledger.file_name()?.to_string_lossy().into_owned();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(&issues).ok()?;
    let claimed = reader.records().flatten().find_map(|r| {
        let file = r.get(3).unwrap_or("");
        (r.get(1) == Some("ledger-digest") && file.rsplit(['/', '\\']).next() == Some(name.as_str()))
            .then(|| r.get(7).unwrap_or("").to_owned())
    })?;
    let mut hasher = Sha256::new();
    let mut file = File::open(ledger).ok()?;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = std::io::Read::read(&mut file, &mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let actual: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (actual != claimed).then_some(issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_row_is_checked_once_and_its_fields_kept_as_written() {
        let mut r = csv::ByteRecord::new();
        for f in ["2026Q1", "P001", "G1.1", "", "张三", "95.5", "评分.xlsx#区领导!C3"] {
            r.push_field(f.as_bytes());
        }
        let row = parse_row(&r, None).unwrap();
        let fields: Vec<&str> = row.record.iter().collect();
        assert_eq!(fields, ["2026Q1", "P001", "G1.1", "", "张三", "95.5", "评分.xlsx#区领导!C3"]);
        assert_eq!(row.value, Decimal::new(955, 1));
        // Not UTF-8 in the fifth field: refused, naming the field.
        let mut bad = csv::ByteRecord::new();
        for f in [&b"2026Q1"[..], b"P001", b"G1.1", b"", b"\xff\xfe", b"1", b""] {
            bad.push_field(f);
        }
        let err = parse_row(&bad, None).err().unwrap();
        assert!(matches!(&err.msg, Msg::CsvSyntax { detail } if detail.contains("field 5")), "{:?}", err.msg);
    }

    fn entry() -> impl Strategy<Value = Entry> {
        let text = "[^\u{0}]{0,12}";
        (text, text, text, text, text, -999_999_999_999_999i64..=999_999_999_999_999, 0u32..8, text).prop_map(
            |(p, s, i, r, e, m, scale, src)| Entry {
                period: p,
                subject: s,
                indicator: i,
                rater: r,
                evaluator: e,
                value: Decimal::new(m, scale),
                source: src,
            },
        )
    }

    /// A ledger of `rows` good lines, then `bad` as the next line.
    fn ledger_with(rows: usize, bad: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let mut text = b"period,subject,indicator,rater,evaluator,value,source\n".to_vec();
        for i in 0..rows {
            text.extend_from_slice(format!("2026Q1,U{i},A1,peer,E,{}.5,x!A{i}\n", i % 100).as_bytes());
        }
        text.extend_from_slice(bad);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn rows_across_batches_arrive_in_order_and_an_error_stops_at_its_line() {
        // More rows than a batch, so the parsing thread hands over several.
        let n = 3 * BATCH + 17;
        for (bad, code) in [
            (&b"2026Q1,U,A1,peer,E,\xff9,x\n"[..], "csv-syntax"),
            (&b"2026Q1,U,A1,peer,E,abc,x\n"[..], "not-a-number"),
            (&b"2026Q1,U,A1,peer\n"[..], "csv-syntax"),
            // Two of these would overflow a sum: refused at the line, never a crash.
            (&b"2026Q1,U,A1,peer,E,70000000000000000000000000000,x\n"[..], "value-out-of-range"),
            (&b"2026Q1,U,A1,peer,E,-1000000000000000,x\n"[..], "value-out-of-range"),
        ] {
            let (_dir, path) = ledger_with(n, bad);
            let mut seen = Vec::new();
            let err =
                read_ledger(&path, |e, line| seen.push((e.subject.to_owned(), e.value, line))).unwrap().unwrap_err();
            assert_eq!(seen.len(), n, "{code}");
            assert!(seen.iter().enumerate().all(|(i, (s, v, line))| {
                *s == format!("U{i}")
                    && *v == Decimal::new(i64::try_from(i % 100).unwrap() * 10 + 5, 1)
                    && *line == i + 2
            }));
            assert_eq!((err.line, err.msg.code()), (n + 2, code), "{:?}", err.msg);
        }
        let (_dir, path) = ledger_with(n, b"");
        let mut count = 0;
        read_ledger(&path, |_, _| count += 1).unwrap().unwrap();
        assert_eq!(count, n);
    }

    proptest! {
        /// The shortcut for plain numbers reads exactly what `Decimal::from_str` reads.
        #[test]
        fn plain_decimals_read_as_decimal_reads_them(s in "[0-9]{0,12}(\\.[0-9]{0,9})?|[0-9 .eE+-]{0,8}") {
            if let Some(d) = plain_decimal(&s) {
                let want = Decimal::from_str(&s).unwrap();
                prop_assert_eq!(d, want);
                prop_assert_eq!(d.scale(), want.scale());
                prop_assert_eq!(d.to_string(), want.to_string());
            }
        }

        /// Writing entries and reading them back gives the same entries (commas, quotes, line
        /// breaks, formula-looking text and all).
        #[test]
        fn ledger_round_trip(entries in proptest::collection::vec(entry(), 0..20)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("l.csv");
            let mut w = LedgerWriter::new(std::fs::File::create(&path).unwrap(), true).unwrap();
            for e in &entries {
                w.write(e).unwrap();
            }
            w.finish().unwrap();
            let mut back = Vec::new();
            read_ledger(&path, |e, _| back.push(e.to_entry())).unwrap().unwrap();
            let norm = |e: &Entry| Entry { value: e.value.normalize(), ..e.clone() };
            prop_assert_eq!(back.iter().map(norm).collect::<Vec<_>>(), entries.iter().map(norm).collect::<Vec<_>>());
        }
    }
}
