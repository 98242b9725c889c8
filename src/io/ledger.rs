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
        let value = e.value.normalize().to_string();
        let t = crate::io::csv_safe;
        self.csv.write_record([
            t(&e.period).as_ref(),
            t(&e.subject).as_ref(),
            t(&e.indicator).as_ref(),
            t(&e.rater).as_ref(),
            t(&e.evaluator).as_ref(),
            &value,
            t(&e.source).as_ref(),
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

/// Read a ledger, calling `f` with each entry (borrowed from the line; see
/// [`EntryRef::to_entry`]) and its line number. Every field must be UTF-8 and the value a
/// number, or reading stops with the line's error.
pub fn read_ledger(
    path: &Path,
    mut f: impl FnMut(EntryRef<'_>, usize),
) -> Result<std::result::Result<(), LedgerError>> {
    let file = File::open(path).with_context(|| {
        tr(&format!("无法读取台账 {}", path.display()), &format!("cannot read ledger {}", path.display()))
    })?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).buffer_capacity(1 << 20).from_reader(file);
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
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(Ok(())),
            Ok(true) => {
                let line = record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                if record.len() != LEDGER_HEADER.len() {
                    let detail = format!(
                        "第 {line} 行有 {} 列，表头有 {} 列 / line {line} has {} fields, the header has {}",
                        record.len(),
                        LEDGER_HEADER.len(),
                        record.len(),
                        LEDGER_HEADER.len()
                    );
                    return Ok(Err(LedgerError { line, msg: Msg::CsvSyntax { detail } }));
                }
                let mut fields = [""; 7];
                for (i, slot) in fields.iter_mut().enumerate() {
                    match std::str::from_utf8(&record[i]) {
                        Ok(s) => *slot = s,
                        Err(_) => {
                            let detail = format!(
                                "第 {line} 行第 {} 列不是 UTF-8 文本 / line {line}, field {} is not UTF-8",
                                i + 1,
                                i + 1
                            );
                            return Ok(Err(LedgerError { line, msg: Msg::CsvSyntax { detail } }));
                        }
                    }
                }
                let field = |i: usize| crate::io::csv_unsafe(fields[i]);
                let value = match Decimal::from_str(fields[5].trim()) {
                    Ok(v) => v,
                    Err(_) => {
                        let msg = Msg::NotNumber { code: field(2).to_owned(), value: field(5).to_owned() };
                        return Ok(Err(LedgerError { line, msg }));
                    }
                };
                let e = EntryRef {
                    period: field(0),
                    subject: field(1),
                    indicator: field(2),
                    rater: field(3),
                    evaluator: field(4),
                    value,
                    source: field(6),
                };
                f(e, line);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                return Ok(Err(LedgerError { line, msg: Msg::CsvSyntax { detail: e.to_string() } }));
            }
        }
    }
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

    fn entry() -> impl Strategy<Value = Entry> {
        let text = "[^\u{0}]{0,12}";
        (text, text, text, text, text, any::<i64>(), 0u32..8, text).prop_map(|(p, s, i, r, e, m, scale, src)| Entry {
            period: p,
            subject: s,
            indicator: i,
            rater: r,
            evaluator: e,
            value: Decimal::new(m, scale),
            source: src,
        })
    }

    proptest! {
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
