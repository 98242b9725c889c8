//! The shared input layer: open any file clerks send and hand back its sheets as rows of
//! cells with their spreadsheet row numbers.
//!
//! The format is decided by content, not by name: `D0 CF 11 E0` is an old Excel (.xls)
//! workbook, `PK` a zip (xlsx/xlsm, xlsb by name, ods by its mimetype), a leading `<` an HTML
//! page saved with a spreadsheet name (refused with advice), anything else delimited text.
//! Text is decoded as UTF-8, UTF-16 (BOM) or GBK/GB18030, detected from the first 64 KiB or
//! forced with `--encoding`, and streamed: a CSV file is never held in memory whole.
//! Spreadsheets are read through calamine; a panic inside it becomes an "unreadable file".

use crate::core::import::cell::CellValue;
use crate::core::import::ledger::column_letters;
use crate::core::msg::{FileKind, Msg};
use crate::io::xls_extra::{MAX_BOOK_CELLS, MAX_SHEET_CELLS, Spread};
use calamine::{Data, DataRef, Reader, Sheets};
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;
use std::rc::Rc;

/// The hidden sheet in which perf's entry templates record period, rater and evaluator.
pub const META_SHEET: &str = "_perf";

/// How much of a text file is looked at to choose its encoding and delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// The text encoding to read CSV files in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EncodingChoice {
    #[default]
    #[value(help = crate::choice("自动识别：BOM、UTF-8，否则 GBK（默认）", "recognised: a BOM, UTF-8, else GBK (the default)"))]
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(alias = "gb18030", alias = "cp936")]
    Gbk,
    #[value(name = "utf-16le")]
    Utf16le,
    #[value(name = "utf-16be")]
    Utf16be,
}

/// One row: its 1-based number in the sheet (or line in the file) and its cells from
/// column A.
pub type Row = (usize, Vec<CellValue>);

/// A sheet's rows, streamed. An `Err` is a structural problem at that point of the file.
pub type Rows = Box<dyn Iterator<Item = Result<Row, Msg>>>;

/// One sheet (a CSV file has one, named "").
pub struct Sheet {
    pub name: String,
    /// Merged regions, 0-based inclusive (first row, first col, last row, last col).
    pub merges: Vec<(usize, usize, usize, usize)>,
    pub rows: Rows,
    /// 1-based numbers of rows the sender hid (xlsx).
    pub hidden_rows: BTreeSet<usize>,
    /// 0-based indexes of columns the sender hid (xlsx).
    pub hidden_cols: BTreeSet<usize>,
    /// Why this sheet could not be read (a chart sheet, a macro sheet, a damaged part): the
    /// other sheets of the workbook are still read.
    pub problem: Option<Msg>,
}

impl Sheet {
    fn new(name: String, rows: Rows) -> Self {
        Sheet {
            name,
            merges: Vec::new(),
            rows,
            hidden_rows: BTreeSet::new(),
            hidden_cols: BTreeSet::new(),
            problem: None,
        }
    }
}

/// An opened file.
pub struct Opened {
    pub format: Format,
    pub sheets: Vec<Sheet>,
    /// Key/value pairs from the `_perf` sheet (period, rater, evaluator).
    pub meta: HashMap<String, String>,
    /// For CSV read with automatic encoding: how its lines were decoded (complete once the
    /// rows have been read).
    pub encoding: Option<Rc<RefCell<EncodingStats>>>,
}

/// How the lines of a text file were decoded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EncodingStats {
    /// Lines with non-ASCII text that were valid UTF-8.
    pub utf8_lines: usize,
    /// Lines that were not UTF-8 but valid GBK/GB18030.
    pub gbk_lines: usize,
    pub first_gbk_line: Option<usize>,
    /// Lines valid in neither (their bad bytes become U+FFFD and the cells are rejected).
    pub bad_lines: usize,
}

impl EncodingStats {
    /// Whether the file mixes UTF-8 and GBK lines.
    pub fn mixed(&self) -> bool {
        self.utf8_lines > 0 && self.gbk_lines > 0
    }
}

/// Decodes a text file that is not all UTF-8, line by line: lines that are not UTF-8 as
/// GBK/GB18030, and lines that are valid UTF-8 as UTF-8 only when they could not be GBK
/// text — a continuation byte in 0x80–0xA0 never follows a lead byte in GB2312 text, while
/// GBK names such as 谢雪梅 happen to be valid UTF-8 byte sequences. So a GBK file is read as
/// GBK throughout, and a file assembled from a UTF-8 and a GBK export still reads correctly
/// (and is reported as mixed). With `prefer_utf8` (a stream whose first 64 KiB were UTF-8),
/// every valid UTF-8 line is UTF-8. Bytes valid in neither become U+FFFD.
struct LineDecoder<R> {
    inner: R,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    line: usize,
    prefer_utf8: bool,
    stats: Rc<RefCell<EncodingStats>>,
}

impl<R: std::io::BufRead> LineDecoder<R> {
    fn new(inner: R, prefer_utf8: bool, stats: Rc<RefCell<EncodingStats>>) -> Self {
        LineDecoder { inner, raw: Vec::new(), out: Vec::new(), pos: 0, line: 0, prefer_utf8, stats }
    }
}

/// Whether valid UTF-8 bytes cannot be GB2312 text: some continuation byte is below 0xA1.
fn surely_utf8(raw: &[u8]) -> bool {
    raw.iter().any(|&b| (0x80..=0xA0).contains(&b))
}

impl<R: std::io::BufRead> Read for LineDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.out.len() {
            self.raw.clear();
            if self.inner.read_until(b'\n', &mut self.raw)? == 0 {
                return Ok(0);
            }
            self.line += 1;
            let mut raw: &[u8] = &self.raw;
            if self.line == 1 {
                raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
            }
            let mut stats = self.stats.borrow_mut();
            let utf8 = std::str::from_utf8(raw).ok().filter(|s| s.is_ascii() || self.prefer_utf8 || surely_utf8(raw));
            self.out = match utf8 {
                Some(s) => {
                    if !s.is_ascii() {
                        stats.utf8_lines += 1;
                    }
                    raw.to_vec()
                }
                None => match GB18030.decode_without_bom_handling_and_without_replacement(raw) {
                    Some(s) => {
                        stats.gbk_lines += 1;
                        stats.first_gbk_line.get_or_insert(self.line);
                        s.into_owned().into_bytes()
                    }
                    None => {
                        stats.bad_lines += 1;
                        String::from_utf8_lossy(raw).into_owned().into_bytes()
                    }
                },
            };
            self.pos = 0;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn unreadable(detail: impl Into<String>) -> Msg {
    Msg::UnreadableFile { detail: detail.into() }
}

/// Decide the format from the first bytes (and, for zips, the name).
pub fn sniff(path: &Path, head: &[u8]) -> Result<Format, Msg> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    if head.starts_with(b"PK\x03\x04") {
        if head.windows(46).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        return Ok(if ext == "xlsb" { Format::Xlsb } else { Format::Xlsx });
    }
    // Excel 2.x–4.0 worksheets: a bare BIFF2/3/4 BOF record (09 00, 09 02, 09 04).
    if let [0x09, v @ (0x00 | 0x02 | 0x04), ..] = head {
        return Err(Msg::UnsupportedFile {
            kind: FileKind::OldExcel(match v {
                0x00 => 2,
                0x02 => 3,
                _ => 4,
            }),
        });
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        let sample = String::from_utf8_lossy(&text[..text.len().min(4096)]).to_lowercase();
        if sample.contains("urn:schemas-microsoft-com:office:spreadsheet") || sample.contains("<workbook") {
            return Err(Msg::UnsupportedFile { kind: FileKind::Excel2003Xml });
        }
        return Err(Msg::HtmlDisguised);
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || utf16_without_bom(head).is_some();
    // Text with a stray NUL or control byte is still text (the cell holding it is refused); a
    // file with more than a few in a hundred bytes is not.
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1A)).count();
    if !utf16 && controls > (head.len() / 100).max(2) {
        return Err(unreadable("二进制内容，不是表格或文本 / binary content, not a table or text"));
    }
    Ok(Format::Csv)
}

/// Open `path` for reading rows.
pub fn open(path: &Path, encoding: EncodingChoice) -> Result<Opened, Msg> {
    crate::io::output::note_input(path);
    let mut file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut head = vec![0u8; SNIFF_BYTES];
    let n = read_up_to(&mut file, &mut head).map_err(|e| unreadable(e.to_string()))?;
    head.truncate(n);
    crate::io::progress::advance(n as u64);
    // A text encoding named on the command line (BOM-less UTF-16 with CJK text holds many
    // bytes that look like control characters) settles that the file is text.
    let forced_text = matches!(encoding, EncodingChoice::Utf16le | EncodingChoice::Utf16be);
    let format = match sniff(path, &head) {
        Err(_) | Ok(Format::Csv) if forced_text => Format::Csv,
        other => other?,
    };
    match format {
        Format::Csv => open_csv(file, head, encoding),
        format => {
            // A workbook is read whole: its size is checked first (a 5 GB file starting with
            // PK is not a score sheet), and the read itself stops at the limit.
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let too_big = || {
                unreadable(format!(
                    "工作簿超过 {} MB 的上限 / the workbook is over the {} MB limit",
                    MAX_WORKBOOK_BYTES >> 20,
                    MAX_WORKBOOK_BYTES >> 20
                ))
            };
            if size > MAX_WORKBOOK_BYTES {
                return Err(too_big());
            }
            let mut bytes = head;
            crate::io::progress::counted(&mut file)
                .take(MAX_WORKBOOK_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| unreadable(e.to_string()))?;
            if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
                return Err(too_big());
            }
            if !bounded_in_process(&bytes, format) {
                probe(path)?;
            }
            crate::catch_quietly(move || open_workbook(bytes, format)).unwrap_or_else(|panic| {
                let first = panic.lines().next().unwrap_or_default();
                Err(unreadable(format!("读取器内部错误 / reader failure: {first}")))
            })
        }
    }
}

/// The largest workbook file perf reads (it is read whole into memory).
pub const MAX_WORKBOOK_BYTES: u64 = 256 * 1024 * 1024;

/// The most memory a workbook may need to be read (the probe's address-space limit).
pub const PROBE_MEMORY: u64 = 1024 * 1024 * 1024;

static PROBE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Read every workbook first in a child process limited to [`PROBE_MEMORY`] (the `perf`
/// binary turns this on). calamine builds each sheet as a dense grid spanning its farthest
/// cells, so a crafted 7 KB file can demand tens of gigabytes (found by fuzzing); the child
/// fails instead of the machine.
pub fn enable_probe() {
    PROBE.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn probe(path: &Path) -> Result<(), Msg> {
    if !PROBE.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let Ok(exe) = std::env::current_exe() else { return Ok(()) };
    let status = std::process::Command::new(exe)
        .arg(PROBE_COMMAND)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(_) => Err(unreadable(format!(
            "读取需要的内存超过 {} GiB 的上限 / reading needs more than the {} GiB limit",
            PROBE_MEMORY >> 30,
            PROBE_MEMORY >> 30
        ))),
        Err(_) => Ok(()), // could not start the probe: read in-process
    }
}

/// The hidden command line of the probe.
pub const PROBE_COMMAND: &str = "__read-probe";

/// The probe itself (in the child): limit memory, read the workbook, exit 0 when it could be
/// read (or failed cleanly).
pub fn run_probe(path: &Path) -> ! {
    #[cfg(unix)]
    {
        let limit = libc::rlimit { rlim_cur: PROBE_MEMORY as libc::rlim_t, rlim_max: PROBE_MEMORY as libc::rlim_t };
        // SAFETY: setrlimit only reads the struct passed by reference.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
    }
    std::panic::set_hook(Box::new(|_| {}));
    // A file that fails cleanly is reported by the parent; only running out of memory (an
    // abort) makes this process fail.
    if let Ok(mut f) = File::open(path) {
        let mut bytes = Vec::new();
        if f.read_to_end(&mut bytes).is_ok()
            && let Ok(format) = sniff(path, &bytes[..bytes.len().min(SNIFF_BYTES)])
        {
            let _ = crate::catch_quietly(move || open_workbook(bytes, format));
        }
    }
    std::process::exit(0)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// UTF-16 without a byte-order mark: NUL bytes in only the odd (little-endian) or only the
/// even (big-endian) positions, and at least one in ten bytes — ASCII digits, commas and line
/// ends among the text.
pub fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len() - head.len() % 2;
    if n < 16 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in head[..n].iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    match (even, odd) {
        (0, o) if o * 10 >= n => Some(UTF_16LE),
        (e, 0) if e * 10 >= n => Some(UTF_16BE),
        _ => None,
    }
}

/// The encoding of a text file from its first bytes.
pub fn detect_encoding(head: &[u8], choice: EncodingChoice) -> &'static Encoding {
    match choice {
        EncodingChoice::Utf8 => return UTF_8,
        EncodingChoice::Gbk => return GB18030,
        EncodingChoice::Utf16le => return UTF_16LE,
        EncodingChoice::Utf16be => return UTF_16BE,
        EncodingChoice::Auto => {}
    }
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return enc;
    }
    if let Some(enc) = utf16_without_bom(head) {
        return enc;
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // Valid up to a character cut off by the sample's end: still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => GB18030,
    }
}

/// The longest line a CSV file may have: a single line cannot make perf hold more than a
/// bounded multiple of it.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// A reader that fails once a line runs past [`MAX_LINE_BYTES`] (a 1 GB file with no line
/// break is refused, not held in memory several times over).
struct LineLimit<R> {
    inner: R,
    /// Bytes since the last line break.
    run: usize,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' || b == b'\r' {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > MAX_LINE_BYTES {
                    return Err(std::io::Error::other(format!(
                        "一行超过 {} MB 的上限 / a line is over the {} MB limit",
                        MAX_LINE_BYTES >> 20,
                        MAX_LINE_BYTES >> 20
                    )));
                }
            }
        }
        Ok(n)
    }
}

/// Newline bookkeeping shared between a [`LineCounter`] and the rows iterator: the byte
/// offset and line number of each line start that holds content, not yet consumed.
#[derive(Default)]
struct Lines {
    starts: VecDeque<(u64, usize)>,
    offset: u64,
    line: usize,
    at_line_start: bool,
    /// The previous byte was a carriage return (a line end on its own, as Excel for Mac
    /// writes them, or the first half of CR LF).
    after_cr: bool,
}

/// A reader that notes where content lines start (in the decoded text), so that rows get
/// the line numbers an editor shows even after blank lines, with memory bounded by the
/// reader's buffer, not the file.
struct LineCounter<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut l = self.lines.borrow_mut();
        for &b in &buf[..n] {
            match b {
                b'\n' if l.after_cr => {}
                b'\n' | b'\r' => {
                    l.line += 1;
                    l.at_line_start = true;
                }
                _ if l.at_line_start => {
                    let (offset, line) = (l.offset, l.line);
                    l.starts.push_back((offset, line));
                    l.at_line_start = false;
                }
                _ => {}
            }
            l.after_cr = b == b'\r';
            l.offset += 1;
        }
        Ok(n)
    }
}

/// Whether the rest of a regular file, after `head`, is valid UTF-8 together with it; the
/// file is left where it was. `None` when the file cannot be read again (a pipe).
fn all_utf8(file: &mut File, head: &[u8]) -> Option<bool> {
    use std::io::{Seek, SeekFrom};
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let start = file.stream_position().ok()?;
    // Carry an incomplete character from the end of each chunk into the next.
    let mut carry: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut ok = true;
    let mut chunk: Vec<u8> = head.to_vec();
    loop {
        carry.extend_from_slice(&chunk);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                let rest = carry.split_off(e.valid_up_to());
                carry = rest;
            }
            Err(_) => {
                ok = false;
                break;
            }
        }
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            ok = ok && carry.is_empty();
            break;
        }
        chunk = buf[..n].to_vec();
    }
    file.seek(SeekFrom::Start(start)).ok()?;
    Some(ok)
}

fn open_csv(mut file: File, head: Vec<u8>, choice: EncodingChoice) -> Result<Opened, Msg> {
    let encoding = detect_encoding(&head, choice);
    let sample = encoding.decode_with_bom_removal(&head).0.into_owned();
    let delimiter = sniff_delimiter(&sample);
    let stats = Rc::new(RefCell::new(EncodingStats::default()));
    let auto_text = choice == EncodingChoice::Auto && (encoding == UTF_8 || encoding == GB18030);
    let whole_utf8 = if auto_text { all_utf8(&mut file, &head) } else { None };
    let source = LineLimit { inner: Cursor::new(head).chain(crate::io::progress::counted(file)), run: 0 };
    let decoded: Box<dyn Read> = if auto_text && whole_utf8 != Some(true) {
        let prefer_utf8 = whole_utf8.is_none() && encoding == UTF_8;
        Box::new(LineDecoder::new(std::io::BufReader::new(source), prefer_utf8, Rc::clone(&stats)))
    } else {
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(choice == EncodingChoice::Auto)
                .strip_bom(true)
                .build(source),
        )
    };
    let lines = Rc::new(RefCell::new(Lines { line: 1, at_line_start: true, ..Lines::default() }));
    let counter = LineCounter { inner: decoded, lines: Rc::clone(&lines) };
    let reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(counter);
    let mut record = csv::StringRecord::new();
    let mut reader = reader;
    let rows = std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(false) => None,
        Ok(true) => {
            let byte = record.position().map_or(0, csv::Position::byte);
            let mut l = lines.borrow_mut();
            while l.starts.front().is_some_and(|&(o, _)| o < byte) {
                l.starts.pop_front();
            }
            let line = l.starts.front().map_or(l.line, |&(_, line)| line);
            drop(l);
            let cells =
                record
                    .iter()
                    // A CSV written by perf (or saved from a spreadsheet) guards formula-like text
                    // with an apostrophe: read the text as it was, so importing a ledger again
                    // never adds one.
                    .map(|f| {
                        if f.is_empty() {
                            CellValue::Empty
                        } else {
                            CellValue::Text(crate::io::csv_unsafe(f).to_owned())
                        }
                    })
                    .collect();
            Some(Ok((line, cells)))
        }
        Err(e) => Some(Err(Msg::CsvSyntax { detail: e.to_string() })),
    });
    let sheets = vec![Sheet::new(String::new(), Box::new(rows))];
    Ok(Opened { format: Format::Csv, sheets, meta: HashMap::new(), encoding: Some(stats) })
}

/// How many lines the delimiter is chosen from.
const SNIFF_LINES: usize = 100;

/// The delimiter that splits the most of the first lines into the same number of fields
/// (more than one): a title line above the header, with no delimiter, does not decide it.
/// Delimiters inside double quotes do not count.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.split(['\n', '\r']).filter(|l| !l.trim().is_empty()).take(SNIFF_LINES).collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == d && !quoted
            })
            .count()
    };
    let mut best = (0usize, 0usize, b',');
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, char::from(d))).filter(|&n| n > 0).collect();
        let mut freq: HashMap<usize, usize> = HashMap::new();
        for &n in &counts {
            *freq.entry(n).or_default() += 1;
        }
        // The most common field count, and on how many lines.
        let (lines_agreeing, fields) = freq.iter().map(|(&n, &k)| (k, n)).max().unwrap_or((0, 0));
        if (lines_agreeing, fields) > (best.0, best.1) {
            best = (lines_agreeing, fields, d);
        }
    }
    best.2
}

/// Whether an Excel number format shows a percentage: a `%` in its first section outside
/// quoted text and escapes (`0.0%`, `0.00%;[Red]-0.00%`, not `0.0"%"`).
pub fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                chars.next();
            }
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn cell(d: &Data) -> CellValue {
    match d {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Float(f) => CellValue::Number(*f),
        Data::Int(i) => CellValue::Text(i.to_string()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::Error(e) => CellValue::Error(e.to_string()),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            CellValue::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Date(s.clone()),
    }
}

/// The most a workbook may expand to when unzipped; a larger one is refused (a "zip bomb",
/// or a sheet far beyond any assessment).
pub const MAX_UNZIPPED: u64 = 512 * 1024 * 1024;

/// An xlsx or xlsb whose parts unzip to at most this many bytes is read without the probe.
const IN_PROCESS_UNZIPPED: u64 = 128 * 1024 * 1024;

/// Whether reading this workbook in-process needs bounded memory without the probe: an xlsx
/// or xlsb is read cell by cell (no grid), its values are capped ([`MAX_SHEET_CELLS`],
/// [`MAX_BOOK_TEXT`]), the zip reader stops any part at its declared size, and what
/// calamine keeps besides (shared strings, styles) is a few times the unzipped text — so
/// small parts mean bounded memory. Old .xls and .ods files are laid out as grids: always
/// probed.
fn bounded_in_process(bytes: &[u8], sniffed: Format) -> bool {
    matches!(zip_kind(bytes, sniffed), Format::Xlsx | Format::Xlsb)
        && unzipped_size(bytes).is_some_and(|total| total <= IN_PROCESS_UNZIPPED)
}

/// What a zip's entries declare they unzip to, in all (None: not a readable zip).
fn unzipped_size(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    Some(total)
}

/// Refuse zips whose entries declare more than [`MAX_UNZIPPED`] bytes in all.
fn check_zip_size(bytes: &[u8]) -> Result<(), Msg> {
    // Not a readable zip: calamine reports it.
    let total = unzipped_size(bytes).unwrap_or(0);
    if total > MAX_UNZIPPED {
        return Err(unreadable(format!(
            "解压后 {} MB，超过 {} MB 的上限 / expands to {} MB, over the {} MB limit",
            total / 1_048_576,
            MAX_UNZIPPED / 1_048_576,
            total / 1_048_576,
            MAX_UNZIPPED / 1_048_576
        )));
    }
    Ok(())
}

/// A reader's error as a message: a password named as such, anything else as damage.
fn failed(e: impl std::fmt::Display) -> Msg {
    let text = e.to_string();
    if text.to_lowercase().contains("password") {
        Msg::UnsupportedFile { kind: FileKind::Encrypted }
    } else {
        unreadable(text)
    }
}

/// A sheet's non-empty cells as (0-based row, 0-based column, value), row by row. An xlsx or
/// xlsb is read through calamine's cell reader (memory follows the cells); .xls and .ods
/// through the sheet's range, which calamine built when it opened the file (bounded first by
/// `xls_extra::tame` and `ods_extra::tame`).
/// The most bytes of text the cells of one workbook may hold once read: a shared string is
/// copied into every cell that refers to it, so a small file could otherwise ask for
/// terabytes.
const MAX_BOOK_TEXT: u64 = 256 * 1024 * 1024;

/// A sheet's values by position, and for an xlsx which of them are formatted as percent.
struct SheetValues {
    cells: Vec<(usize, usize, Data)>,
    /// Parallel to `cells` (xlsx only; empty otherwise).
    percent: Vec<bool>,
}

/// Read a sheet's non-empty values. Reading stops past [`MAX_SHEET_CELLS`] values (the sheet
/// is then refused as too large by its spread) and fails past `text_budget` bytes of text.
fn sheet_values(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str, text_budget: &mut u64) -> Result<SheetValues, String> {
    let mut out = SheetValues { cells: Vec::new(), percent: Vec::new() };
    let over = || "单元格文字超过读取上限 / the cells hold more text than can be read".to_owned();
    let mut keep = |out: &mut SheetValues, r: u32, col: u32, d: Data| -> Result<bool, String> {
        if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = &d {
            *text_budget = text_budget.checked_sub(s.len() as u64).ok_or_else(over)?;
        }
        out.cells.push((r as usize, col as usize, d));
        Ok(out.cells.len() as u64 <= MAX_SHEET_CELLS)
    };
    match book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            // Whether each style of the palette shows numbers as percent, worked out once.
            let percent_style: Vec<bool> = reader
                .styles()
                .iter()
                .map(|st| st.number_format.as_ref().is_some_and(|n| is_percent_format(&n.format_code)))
                .collect();
            while let Some((c, style)) = reader.next_cell_with_style_id().map_err(|e| e.to_string())? {
                if matches!(c.get_value(), DataRef::Empty) {
                    continue;
                }
                let (r, col) = c.get_position();
                let percent = percent_style.get(style).copied().unwrap_or(false);
                out.percent.push(percent);
                if !keep(&mut out, r, col, Data::from(c.get_value().clone()))? {
                    break;
                }
            }
            return Ok(out);
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                if matches!(c.get_value(), DataRef::Empty) {
                    continue;
                }
                let (r, col) = c.get_position();
                if !keep(&mut out, r, col, Data::from(c.get_value().clone()))? {
                    break;
                }
            }
            return Ok(out);
        }
        _ => {}
    }
    let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, d) in range.used_cells() {
        if !keep(&mut out, r0 + r as u32, c0 + c as u32, d.clone())? {
            break;
        }
    }
    Ok(out)
}

/// How far a sheet's values spread, and how many cells its rows take laid out from column A.
fn spread_of(values: &[(usize, usize, Data)]) -> (Option<Spread>, u64) {
    let mut widths: HashMap<usize, usize> = HashMap::new();
    let mut spread: Option<Spread> = None;
    let (mut lo_row, mut lo_col) = (u32::MAX, u32::MAX);
    for &(r, c, _) in values {
        let w = widths.entry(r).or_default();
        *w = (*w).max(c + 1);
        let (r, c) = (u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX));
        (lo_row, lo_col) = (lo_row.min(r), lo_col.min(c));
        let s = spread.get_or_insert(Spread { rows: 0, cols: 0, values: 0, last_row: (r, c), last_col: (r, c) });
        s.values += 1;
        if r >= s.last_row.0 {
            s.last_row = (r, c);
        }
        if c >= s.last_col.1 {
            s.last_col = (r, c);
        }
    }
    if let Some(s) = &mut spread {
        s.rows = u64::from(s.last_row.0 - lo_row) + 1;
        s.cols = u64::from(s.last_col.1 - lo_col) + 1;
    }
    (spread, widths.values().map(|&w| w as u64).sum())
}

/// Rows from cells sorted by (row, column), laid out as they are asked for: a cell later in
/// the list replaces an earlier one at the same place.
fn rows_of(cells: Vec<(usize, usize, CellValue)>) -> impl Iterator<Item = Row> {
    let mut cells = cells.into_iter().peekable();
    std::iter::from_fn(move || {
        let (row, col, value) = cells.next()?;
        let mut out = vec![CellValue::Empty; col + 1];
        out[col] = value;
        while let Some((_, col, value)) = cells.next_if(|c| c.0 == row) {
            if out.len() <= col {
                out.resize(col + 1, CellValue::Empty);
            }
            out[col] = value;
        }
        Some((row + 1, out))
    })
}

/// The refusal of a sheet too large to lay out, naming its farthest values.
fn too_large(s: &Spread, by_book: bool) -> Msg {
    let name = |(r, c): (u32, u32)| format!("{}{}", column_letters(c as usize), u64::from(r) + 1);
    let mut far = vec![name(s.last_row)];
    if s.last_col != s.last_row {
        far.push(name(s.last_col));
    }
    let limit = if by_book { MAX_BOOK_CELLS } else { MAX_SHEET_CELLS };
    Msg::SheetTooLarge { rows: s.rows, cols: s.cols, values: s.values, far, limit, by_book }
}

/// What a zip holds, by its entries (a `mimetype` entry need not come first): an ODS
/// spreadsheet has `content.xml`, an xlsb `xl/workbook.bin`; anything else is taken as xlsx.
fn zip_kind(bytes: &[u8], sniffed: Format) -> Format {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return sniffed };
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.into_owned()).collect();
    if names.iter().any(|n| n.ends_with("workbook.bin")) {
        Format::Xlsb
    } else if names.iter().any(|n| n == "content.xml") && !names.iter().any(|n| n.starts_with("xl/")) {
        Format::Ods
    } else if names.iter().any(|n| n.starts_with("xl/") || *n == "[Content_Types].xml") {
        Format::Xlsx
    } else {
        sniffed
    }
}

/// Open an old Excel workbook. A Mac code page that has no decoder (Mac Chinese Simplified,
/// 10008, and its neighbours) is read with the Windows code page of the same character set;
/// a password is named as such.
fn open_xls(cursor: Cursor<Vec<u8>>) -> Result<calamine::Xls<Cursor<Vec<u8>>>, Msg> {
    let classify = |e: calamine::XlsError| match e {
        calamine::XlsError::Password => Msg::UnsupportedFile { kind: FileKind::Encrypted },
        other => unreadable(other.to_string()),
    };
    match calamine::Xls::new(cursor.clone()) {
        Ok(x) => Ok(x),
        Err(e) => {
            // "Cfb error: Codepage 2718 not found" (hexadecimal).
            let text = e.to_string();
            let code = text
                .split_once("Codepage ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .and_then(|h| u16::from_str_radix(h, 16).ok());
            let windows = match code {
                Some(10008) => 936, // Mac Chinese Simplified → GBK
                Some(10002) => 950, // Mac Chinese Traditional → Big5
                Some(10001) => 932, // Mac Japanese → Shift_JIS
                Some(10003) => 949, // Mac Korean → EUC-KR
                Some(c) => return Err(Msg::UnsupportedFile { kind: FileKind::CodePage(c) }),
                None => return Err(classify(e)),
            };
            let mut options = calamine::XlsOptions::default();
            options.force_codepage = Some(windows);
            calamine::Xls::new_with_options(cursor, options).map_err(classify)
        }
    }
}

/// Refuse old-Excel (compound file) workbooks whose structure is broken or whose streams
/// claim to be longer than the whole file: calamine would try to allocate what they claim
/// (a 7 KB file asking for gigabytes was found by fuzzing).
fn check_compound_file(bytes: &[u8]) -> Result<(), Msg> {
    let cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    // An xlsx with an open password is an encrypted package inside a compound file.
    if cf.exists("/EncryptionInfo") || cf.exists("/EncryptedPackage") {
        return Err(Msg::UnsupportedFile { kind: FileKind::Encrypted });
    }
    if !cf.exists("/Workbook") && !cf.exists("/Book") {
        return Err(Msg::UnsupportedFile { kind: FileKind::NotAWorkbook });
    }
    let limit = bytes.len() as u64;
    for entry in cf.walk() {
        if entry.is_stream() && entry.len() > limit {
            return Err(unreadable(format!(
                "数据流 {} 声称有 {} 字节，比整个文件还大 / stream {} claims {} bytes, more than the file",
                entry.name(),
                entry.len(),
                entry.name(),
                entry.len()
            )));
        }
    }
    Ok(())
}

fn open_workbook(bytes: Vec<u8>, format: Format) -> Result<Opened, Msg> {
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        check_zip_size(&bytes)?;
    }
    if format == Format::Xls {
        check_compound_file(&bytes)?;
    }
    let format =
        if matches!(format, Format::Xlsx | Format::Ods | Format::Xlsb) { zip_kind(&bytes, format) } else { format };
    let extras = if format == Format::Xlsx { crate::io::xlsx_extra::read(&bytes) } else { HashMap::new() };
    // calamine lays out every sheet of an .xls when it opens it: blank the sheets too large
    // to lay out first (see xls_extra::tame).
    let (bytes, xls_refused) =
        if format == Format::Xls { crate::io::xls_extra::tame(bytes) } else { (bytes, Vec::new()) };
    let xls_extras = if format == Format::Xls { crate::io::xls_extra::read(&bytes) } else { HashMap::new() };
    let (bytes, ods_refused) =
        if format == Format::Ods { crate::io::ods_extra::tame(bytes) } else { (bytes, Vec::new()) };
    let ods_extras = if format == Format::Ods { crate::io::ods_extra::read(&bytes) } else { HashMap::new() };
    let original = if format == Format::Xlsx { bytes.clone() } else { Vec::new() };
    let mut macro_sheets: Vec<String> = Vec::new();
    let cursor = Cursor::new(bytes);
    let mut book: Sheets<Cursor<Vec<u8>>> = match format {
        Format::Xls => open_xls(cursor).map(Sheets::Xls)?,
        Format::Xlsx => match calamine::Xlsx::new(cursor) {
            Ok(x) => Sheets::Xlsx(x),
            // Excel 4 macro sheets (xlsm) make calamine refuse the workbook: read the others.
            Err(e) => match crate::io::xlsx_extra::without_macro_sheets(&original) {
                Some((bytes, names)) => {
                    macro_sheets = names;
                    calamine::Xlsx::new(Cursor::new(bytes)).map(Sheets::Xlsx).map_err(failed)?
                }
                None => return Err(failed(e)),
            },
        },
        Format::Xlsb => calamine::Xlsb::new(cursor).map(Sheets::Xlsb).map_err(failed)?,
        Format::Ods => calamine::Ods::new(cursor).map(Sheets::Ods).map_err(failed)?,
        Format::Csv => return Err(unreadable("not a workbook")),
    };
    let kinds: HashMap<String, calamine::SheetType> =
        book.sheets_metadata().iter().map(|m| (m.name.clone(), m.typ)).collect();
    let names: Vec<String> = book.sheet_names();
    let mut meta = HashMap::new();
    let mut sheets = Vec::new();
    for name in macro_sheets {
        let mut sheet = Sheet::new(name, Box::new(std::iter::empty()));
        sheet.problem = Some(Msg::SheetNotATable { kind: "MacroSheet".into() });
        sheets.push(sheet);
    }
    let mut book_cells = 0u64;
    let mut text_budget = MAX_BOOK_TEXT;
    for (index, name) in names.into_iter().enumerate() {
        let refused = xls_refused.iter().find(|r| r.index == index).map(|r| (r.spread, r.by_book));
        if let Some((spread, by_book)) =
            refused.or_else(|| ods_refused.iter().find(|r| r.name == name).map(|r| (r.spread, r.by_book)))
        {
            let mut sheet = Sheet::new(name, Box::new(std::iter::empty()));
            sheet.problem = Some(too_large(&spread, by_book));
            sheets.push(sheet);
            continue;
        }
        if let Some(kind) = kinds.get(&name).filter(|k| !matches!(k, calamine::SheetType::WorkSheet)) {
            let mut sheet = Sheet::new(name.clone(), Box::new(std::iter::empty()));
            sheet.problem = Some(Msg::SheetNotATable { kind: format!("{kind:?}") });
            sheets.push(sheet);
            continue;
        }
        // The cells with something in them, by position (an xlsx is read cell by cell, so a
        // value far down or far right does not make a grid of everything in between).
        let values = match sheet_values(&mut book, &name, &mut text_budget) {
            Ok(v) => v,
            Err(e) => {
                let mut sheet = Sheet::new(name.clone(), Box::new(std::iter::empty()));
                sheet.problem = Some(unreadable(e));
                sheets.push(sheet);
                continue;
            }
        };
        // Rows are laid out from column A to their last value: bound what that takes.
        let (spread, laid_out) = spread_of(&values.cells);
        if let Some(spread) = spread {
            let by_book = laid_out <= MAX_SHEET_CELLS && book_cells + laid_out > MAX_BOOK_CELLS;
            if laid_out > MAX_SHEET_CELLS || by_book {
                let mut sheet = Sheet::new(name, Box::new(std::iter::empty()));
                sheet.problem = Some(too_large(&spread, by_book));
                sheets.push(sheet);
                continue;
            }
            book_cells += laid_out;
        }
        let mut extra = extras.get(&name).cloned().unwrap_or_default();
        let mut xls = xls_extras.get(&name).cloned().unwrap_or_default();
        if let Some(ods) = ods_extras.get(&name) {
            xls.percent.extend(ods.percent.iter().copied());
            xls.hidden_rows.extend(ods.hidden_rows.iter().copied());
            xls.hidden_cols.extend(ods.hidden_cols.iter().copied());
        }
        extra.hidden_rows.extend(xls.hidden_rows);
        extra.hidden_cols.extend(xls.hidden_cols);
        let SheetValues { cells: values, percent: styled_percent } = values;
        let mut cells: Vec<(usize, usize, CellValue)> = values
            .into_iter()
            .enumerate()
            .map(|(i, (row, col, d))| {
                let percent = || styled_percent.get(i).copied().unwrap_or(false) || xls.percent.contains(&(row, col));
                let value = match &d {
                    Data::Float(f) if percent() => CellValue::Percent(*f),
                    Data::Int(i) if percent() => CellValue::Percent(*i as f64),
                    other => cell(other),
                };
                (row, col, value)
            })
            .collect();
        // An unsaved formula replaces the cell's value (laid out after it, the later wins).
        cells.extend(extra.unsaved_formulas.iter().map(|&(row, col)| (row, col, CellValue::Unsaved)));
        cells.sort_by_key(|&(row, col, _)| (row, col));
        let rows = rows_of(cells);
        if name == META_SHEET {
            for (_, cells) in rows {
                if let [k, v, ..] = cells.as_slice() {
                    meta.insert(k.display().trim().to_lowercase(), v.display().trim().to_owned());
                }
            }
            continue;
        }
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut sheet = Sheet::new(name, Box::new(rows.map(Ok)));
        sheet.merges = merges
            .iter()
            .map(|d| (d.start.0 as usize, d.start.1 as usize, d.end.0 as usize, d.end.1 as usize))
            .collect();
        sheet.hidden_rows = extra.hidden_rows;
        sheet.hidden_cols = extra.hidden_cols;
        sheets.push(sheet);
    }
    Ok(Opened { format, sheets, meta, encoding: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn rows_laid_out_to_a_far_column_are_counted() {
        // 300 rows with a note at XFD: 300 × 16,384 cells laid out, beyond the limit.
        let mut values = vec![(0, 0, Data::String("单位名称".into()))];
        values.extend((1..=300).map(|r| (r, 16_383, Data::Float(1.0))));
        let (spread, laid_out) = spread_of(&values);
        let spread = spread.unwrap();
        assert_eq!(laid_out, 1 + 300 * 16_384);
        assert!(laid_out > MAX_SHEET_CELLS);
        assert_eq!((spread.rows, spread.cols, spread.values), (301, 16_384, 301));
        let Msg::SheetTooLarge { far, .. } = too_large(&spread, false) else { panic!() };
        assert_eq!(far, ["XFD301"]);
        // A dense table of 200 rows × 30 columns is nowhere near it.
        let dense: Vec<_> = (0..200).flat_map(|r| (0..30).map(move |c| (r, c, Data::Float(1.0)))).collect();
        assert_eq!(spread_of(&dense).1, 6_000);
    }

    #[test]
    fn sniffing_by_content() {
        let p = Path::new("a.xls");
        assert_eq!(sniff(p, b"PK\x03\x04rest"), Ok(Format::Xlsx));
        assert_eq!(sniff(p, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Ok(Format::Xls));
        assert_eq!(sniff(p, b"  <html><table>"), Err(Msg::HtmlDisguised));
        assert_eq!(sniff(p, "名称,得分\n".as_bytes()), Ok(Format::Csv));
        assert_eq!(sniff(Path::new("a.xlsb"), b"PK\x03\x04"), Ok(Format::Xlsb));
        assert!(sniff(p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0").is_err());
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = GB18030.encode("名称,得分");
        assert_eq!(detect_encoding(&gbk, EncodingChoice::Auto), GB18030);
        assert_eq!(detect_encoding("名称".as_bytes(), EncodingChoice::Auto), UTF_8);
        // A sample cut in the middle of a character is still UTF-8.
        assert_eq!(detect_encoding(&"名称".as_bytes()[..4], EncodingChoice::Auto), UTF_8);
        assert_eq!(detect_encoding(&[0xFF, 0xFE, 0x0D, 0x54], EncodingChoice::Auto), UTF_16LE);
    }

    #[test]
    fn files_perf_cannot_read_are_named() {
        let p = Path::new("a.xls");
        let xml = b"<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">";
        assert_eq!(sniff(p, xml), Err(Msg::UnsupportedFile { kind: FileKind::Excel2003Xml }));
        assert_eq!(sniff(p, &[0x09, 0x04, 0x06, 0x00]), Err(Msg::UnsupportedFile { kind: FileKind::OldExcel(4) }));
        // An xlsx with an open password: an encrypted package in a compound file.
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/EncryptionInfo").unwrap().write_all(b"x").unwrap();
        cf.create_stream("/EncryptedPackage").unwrap().write_all(b"y").unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        assert_eq!(check_compound_file(&bytes), Err(Msg::UnsupportedFile { kind: FileKind::Encrypted }));
        // A Word document is not a workbook.
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/WordDocument").unwrap().write_all(b"x").unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        assert_eq!(check_compound_file(&bytes), Err(Msg::UnsupportedFile { kind: FileKind::NotAWorkbook }));
    }

    #[test]
    fn an_ods_whose_mimetype_is_not_first_is_an_ods() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("content.xml", o).unwrap();
        w.write_all(b"<office:document-content/>").unwrap();
        w.start_file("mimetype", o).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(zip_kind(&bytes, Format::Xlsx), Format::Ods);
    }

    #[test]
    fn utf16_without_a_bom_and_stray_nuls() {
        let le: Vec<u8> = "编号,得分\r\nU01,90\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(detect_encoding(&le, EncodingChoice::Auto), UTF_16LE);
        let be: Vec<u8> = "编号,得分\r\nU01,90\r\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect_encoding(&be, EncodingChoice::Auto), UTF_16BE);
        assert_eq!(sniff(Path::new("a.csv"), &le), Ok(Format::Csv));
        // One NUL in a text file: still text.
        assert_eq!(sniff(Path::new("a.csv"), b"a,b\n1,\x002\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n19,20\n21,22\n23,24\n25,26\n27,28\n29,30\n31,32\n33,34\n35,36\n"), Ok(Format::Csv));
    }

    /// An xlsm whose second sheet is an Excel 4 macro sheet: made from an xlsx by moving
    /// the sheet's part under xl/macrosheets/.
    fn with_macro_sheet() -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().set_name("数据").unwrap().write(0, 0, "单位名称").unwrap();
        wb.add_worksheet().set_name("Macro1").unwrap().write(0, 0, "=HALT()").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap();
            let text = String::from_utf8_lossy(&body)
                .replace(
                    "relationships/worksheet\" Target=\"worksheets/sheet2.xml",
                    "relationships/xlMacrosheet\" Target=\"macrosheets/sheet2.xml",
                )
                .replace("worksheets/sheet2.xml", "macrosheets/sheet2.xml");
            let name = name.replace("worksheets/sheet2.xml", "macrosheets/sheet2.xml");
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(text.as_bytes()).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_macro_sheet_does_not_refuse_the_workbook() {
        let bytes = with_macro_sheet();
        assert!(calamine::Xlsx::new(Cursor::new(bytes.clone())).is_err(), "calamine refuses it as it is");
        let opened = open_workbook(bytes, Format::Xlsx).unwrap();
        let names: Vec<(&str, bool)> = opened.sheets.iter().map(|s| (s.name.as_str(), s.problem.is_some())).collect();
        assert_eq!(names, [("Macro1", true), ("数据", false)]);
    }

    #[test]
    fn delimiters_from_many_lines() {
        assert_eq!(sniff_delimiter("2026年第一季度评分表\n单位;得分;备注\nU01;90;好,很好\nU02;80;\n"), b';');
        assert_eq!(sniff_delimiter("标题\r单位\t得分\rU01\t90\r"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b\";c;d\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("单位,得分\nU01,90\n"), b',');
    }

    #[test]
    fn gbk_lines_that_happen_to_be_utf8_stay_gbk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        // 谢雪梅 in GBK is a valid UTF-8 byte sequence; the file is GBK.
        let (bytes, _, _) = GB18030.encode("单位,姓名,得分\r\nU01,谢雪梅,90\r\nU02,韦志强,80\r\n");
        std::fs::write(&path, &bytes).unwrap();
        let opened = open(&path, EncodingChoice::Auto).unwrap();
        let rows: Vec<Row> = opened.sheets.into_iter().next().unwrap().rows.map(Result::unwrap).collect();
        assert_eq!(rows[1].1[1], CellValue::Text("谢雪梅".into()));
        assert_eq!(rows[2].1[1], CellValue::Text("韦志强".into()));
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "单位,得分\rU01,90\r\rU02,80\r").unwrap();
        let opened = open(&path, EncodingChoice::Auto).unwrap();
        let rows: Vec<Row> = opened.sheets.into_iter().next().unwrap().rows.map(Result::unwrap).collect();
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4]);
        assert_eq!(rows[2].1[1], CellValue::Text("80".into()));
    }

    #[test]
    fn csv_rows_have_editor_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "a;b\r\nU01;\"x\ny\"\r\n\r\n\r\nU02;z\n").unwrap();
        let opened = open(&path, EncodingChoice::Auto).unwrap();
        let rows: Vec<Row> = opened.sheets.into_iter().next().unwrap().rows.map(Result::unwrap).collect();
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 6]);
        assert_eq!(rows[1].1[1], CellValue::Text("x\ny".into()));
    }
}
