//! The canonical score ledger and the import pass that fills it.
//!
//! A ledger entry is one value: `period, subject, indicator, rater, evaluator, value,
//! source`. [`Importer`] turns the rows of detected tables into entries and issues, one row
//! at a time, so that a file of any length streams through it: its memory grows with one
//! compact key per entry (for duplicate detection), one counter per subject × indicator ×
//! rater (for completeness) and, in long tables, the few fractions under % indicators held
//! back until their sheet is read — never with rows or cells.

use crate::core::diag::Severity;
use crate::core::import::cell::{BadCell, CellValue, Parsed, check_range, parse_raw, parse_value};
use crate::core::import::columns::{Applied, ColumnPlan};
use crate::core::import::header::{GridKind, IndicatorIndex, Layout, Lookup, WideColumn, is_footer, normalize_header};
use crate::core::import::period::find_period;
use crate::core::msg::Msg;
use crate::core::roster::Roster;
use crate::core::scheme::{Method, MethodKind, Scheme};
use crate::core::suggest::closest;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeSet;

/// The reserved indicator code under which a sheet's own 总分 / 合计 is kept.
pub const TOTAL_CODE: &str = "#total";

/// The ledger's columns, in order: the file format's contract.
pub const LEDGER_HEADER: [&str; 7] = ["period", "subject", "indicator", "rater", "evaluator", "value", "source"];

/// One ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub period: String,
    pub subject: String,
    pub indicator: String,
    /// Empty for data-driven values.
    pub rater: String,
    pub evaluator: String,
    pub value: Decimal,
    /// `file#sheet!C12` (`file!C12` for CSV).
    pub source: String,
}

/// One ledger entry borrowed from the line being read (no allocation per row); made owned
/// with [`EntryRef::to_entry`] only where it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub period: &'a str,
    pub subject: &'a str,
    pub indicator: &'a str,
    pub rater: &'a str,
    pub evaluator: &'a str,
    pub value: Decimal,
    pub source: &'a str,
}

impl EntryRef<'_> {
    pub fn to_entry(&self) -> Entry {
        Entry {
            period: self.period.to_owned(),
            subject: self.subject.to_owned(),
            indicator: self.indicator.to_owned(),
            rater: self.rater.to_owned(),
            evaluator: self.evaluator.to_owned(),
            value: self.value,
            source: self.source.to_owned(),
        }
    }
}

impl Entry {
    pub fn as_ref(&self) -> EntryRef<'_> {
        EntryRef {
            period: &self.period,
            subject: &self.subject,
            indicator: &self.indicator,
            rater: &self.rater,
            evaluator: &self.evaluator,
            value: self.value,
            source: &self.source,
        }
    }
}

/// Spreadsheet column letters for a 0-based column: 0 → A, 26 → AA.
pub fn column_letters(col: usize) -> String {
    let mut s = String::new();
    push_column_letters(&mut s, col);
    s
}

/// [`column_letters`], appended to `s`.
fn push_column_letters(s: &mut String, col: usize) {
    let mut letters = [0u8; 16];
    let mut at = letters.len();
    let mut n = col + 1;
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + u8::try_from((n - 1) % 26).unwrap_or(0);
        n = (n - 1) / 26;
    }
    s.extend(letters[at..].iter().map(|&b| char::from(b)));
}

/// How much of a cell's text an issue repeats (a 1 MB cell must not make a 1 MB message).
pub const CLIP_CHARS: usize = 100;

/// The first [`CLIP_CHARS`] characters of a cell's text, with "…" when there was more.
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(CLIP_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// Where an issue or an entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub file: String,
    /// Empty for CSV files.
    pub sheet: String,
    /// 1-based row.
    pub row: Option<usize>,
    /// 0-based column.
    pub column: Option<usize>,
}

impl Location {
    /// `file#sheet!C12`, `file!C12` for CSV; row or sheet alone where that is all there is.
    pub fn source(&self) -> String {
        let mut s = String::new();
        self.write_source(&mut s);
        s
    }

    /// [`Location::source`], appended to `s` (one buffer serves every entry of an import).
    pub fn write_source(&self, s: &mut String) {
        write_source(&self.file, &self.sheet, self.row, self.column, s);
    }
}

/// A location's source text (`file#sheet!C12`) from its parts, appended to `s`.
fn write_source(file: &str, sheet: &str, row: Option<usize>, column: Option<usize>, s: &mut String) {
    use std::fmt::Write;
    s.push_str(file);
    if !sheet.is_empty() {
        s.push('#');
        s.push_str(sheet);
    }
    match (row, column) {
        (Some(r), Some(c)) => {
            s.push('!');
            push_column_letters(s, c);
            let _ = write!(s, "{r}");
        }
        (Some(r), None) => {
            let _ = write!(s, "!{r}:{r}");
        }
        _ => {}
    }
}

/// One import issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub msg: Msg,
    pub location: Location,
    /// The cell's text, as read.
    pub value: String,
}

/// Where entries and issues go (the ledger and issues writers).
pub trait Sink {
    /// An accepted entry, borrowed: a sink copies what it keeps.
    fn entry(&mut self, entry: EntryRef<'_>);
    fn issue(&mut self, issue: Issue);
}

/// Counts for one sheet (or file): every entry read is accepted or rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// What a sheet's surroundings say: period and rater (from flags, workbook metadata or
/// file and sheet names) and the evaluator (from metadata or the file name).
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub period: Option<String>,
    /// Why the period is not known (sources that contradict each other), reported instead of
    /// "missing period".
    pub period_problem: Option<Msg>,
    pub rater: Option<usize>,
    pub evaluator: String,
}

/// One sheet being imported.
#[derive(Debug)]
pub struct SheetImport {
    /// Shared, so that each row reads it without copying its columns.
    pub layout: std::sync::Arc<Layout>,
    pub context: Context,
    pub counts: Counts,
    file: String,
    sheet: String,
    place: u32,
    reported_columns: HashSet<usize>,
    period_reported: bool,
    /// Column rules of a wide table (see [`crate::core::import::columns`]).
    plans: std::collections::HashMap<usize, ColumnPlan>,
    /// Cells with values in columns that are not read (unknown header, wrong unit).
    unread: HashMap<usize, u64>,
    /// Row of the header's last line (1-based), for column issues.
    header_line: usize,
    /// The wide table repeats subjects without naming evaluators: each row is one respondent
    /// (for raters that expect several evaluators).
    pub rows_are_respondents: bool,
    /// Words of a workspace mapping (normalised), before the scheme's value words.
    pub words: Vec<(String, Decimal)>,
    /// Long tables: fractions under % indicators, and the % indicators seen with a plain
    /// value above 1 in this sheet.
    deferred: Vec<Deferred>,
    percent_above_one: Vec<bool>,
}

/// A cell of the sheet being read: 1-based row, 0-based column (its `Location` without the
/// file and sheet names, which the sheet holds once).
#[derive(Debug, Clone, Copy)]
struct At {
    row: usize,
    column: usize,
}

impl SheetImport {
    fn loc(&self, row: usize, col: usize) -> Location {
        Location { file: self.file.clone(), sheet: self.sheet.clone(), row: Some(row), column: Some(col) }
    }
}

/// Where a value goes: its period, subject, indicator (`indicators.len()` = the sheet's own
/// total), rater and evaluator — the five parts of an entry's key.
#[derive(Debug, Clone, Copy)]
struct Slot<'s> {
    period: &'s str,
    subject: usize,
    indicator: usize,
    rater: RaterSlot,
    evaluator: &'s str,
}

/// A value of a long table held back until the sheet is read: a plain number between 0 and
/// 1 under a % indicator, which is a percentage only if the sheet writes that indicator's
/// other values as percentages (see [`crate::core::import::columns`]).
#[derive(Debug)]
struct Deferred {
    period: String,
    subject: usize,
    indicator: usize,
    rater: RaterSlot,
    evaluator: String,
    value: Decimal,
    at: At,
    shown: String,
}

/// Where a value cell is and what it is for.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// 1-based row, 0-based column.
    row: usize,
    col: usize,
    subject: usize,
    indicator: usize,
}

/// A compact place: (file/sheet id, row, column); the ledger itself has id 0.
type Place = (u32, u32, u32);

/// Rater of a value: `None` for data-driven values.
type RaterSlot = Option<usize>;

/// The import pass over any number of sheets.
pub struct Importer<'a> {
    /// Reused for each entry's `source` text.
    source_buf: String,
    scheme: &'a Scheme,
    roster: &'a Roster,
    index: IndicatorIndex,
    subjects_by_id: HashMap<String, usize>,
    subjects_by_name: HashMap<String, Vec<usize>>,
    subject_category: Vec<Option<usize>>,
    places: Vec<(String, String)>,
    periods: Vec<String>,
    period_ids: HashMap<String, u32>,
    evaluators: HashMap<String, u32>,
    /// (period, subject, indicator, rater + 1 or 0, evaluator) → where first seen.
    seen: HashMap<[u32; 5], Place>,
    /// Keys that were already in the ledger (for --append).
    preloaded: HashSet<[u32; 5]>,
    /// Preloaded keys replaced by new entries (with --replace).
    pub replaced: HashSet<[u32; 5]>,
    replace: bool,
    /// (period, subject, indicator, rater + 1 or 0) → values.
    counts: HashMap<[u32; 4], u32>,
    suggestions_left: usize,
    /// Long tables repeat a handful of period, indicator and rater texts over millions of
    /// rows: each is worked out once.
    memo_period: Memo<Option<crate::core::import::period::Period>>,
    memo_indicator: Memo<Lookup>,
    memo_rater: Memo<Result<RaterSlot, Box<Msg>>>,
}

/// Answers for texts already seen; bounded, so a column of all-different texts costs no
/// more memory than a few thousand answers.
struct Memo<T> {
    map: HashMap<String, T>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo { map: HashMap::default() }
    }
}

impl<T: Clone> Memo<T> {
    const MAX: usize = 4096;

    fn get_or(&mut self, key: &str, work: impl FnOnce() -> T) -> T {
        if let Some(v) = self.map.get(key) {
            return v.clone();
        }
        let v = work();
        if self.map.len() < Self::MAX {
            self.map.insert(key.to_owned(), v.clone());
        }
        v
    }
}

/// The rater a text names (id or name, "评价" optional); `None` for data values.
fn rater_slot(scheme: &Scheme, text: &str) -> Result<RaterSlot, Box<Msg>> {
    let t = normalize_header(text);
    if t.is_empty() || t.eq_ignore_ascii_case("data") || t == "数据" {
        return Ok(None);
    }
    scheme
        .raters
        .iter()
        .position(|r| {
            let name = normalize_header(&r.name);
            r.id.eq_ignore_ascii_case(&t) || name == t || name.trim_end_matches("评价") == t
        })
        .map(Some)
        .ok_or_else(|| {
            Box::new(Msg::UnknownRater {
                rater: text.trim().to_owned(),
                suggestion: closest(&t, scheme.raters.iter().flat_map(|r| [r.id.as_str(), r.name.as_str()])),
            })
        })
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Importer<'a> {
    pub fn new(scheme: &'a Scheme, roster: &'a Roster, replace: bool) -> Self {
        let mut subjects_by_id = HashMap::default();
        let mut subjects_by_name: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, s) in roster.subjects.iter().enumerate() {
            subjects_by_id.entry(s.id.clone()).or_insert(i);
            for name in std::iter::once(&s.name).chain(&s.aliases) {
                let ids = subjects_by_name.entry(normalize_header(name)).or_default();
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        let subject_category =
            roster.subjects.iter().map(|s| s.category.as_deref().and_then(|c| scheme.find_category(c))).collect();
        Importer {
            scheme,
            roster,
            index: IndicatorIndex::new(scheme),
            subjects_by_id,
            subjects_by_name,
            subject_category,
            places: vec![(String::new(), String::new())],
            periods: Vec::new(),
            period_ids: HashMap::default(),
            evaluators: HashMap::default(),
            seen: HashMap::default(),
            preloaded: HashSet::default(),
            replaced: HashSet::default(),
            source_buf: String::new(),
            replace,
            counts: HashMap::default(),
            suggestions_left: 200,
            memo_period: Memo::default(),
            memo_indicator: Memo::default(),
            memo_rater: Memo::default(),
        }
    }

    pub fn index(&self) -> &IndicatorIndex {
        &self.index
    }

    /// The roster values are checked against.
    pub fn roster(&self) -> &Roster {
        self.roster
    }

    fn period_id(&mut self, p: &str) -> u32 {
        if let Some(&id) = self.period_ids.get(p) {
            return id;
        }
        let id = u32_of(self.periods.len());
        self.periods.push(p.to_owned());
        self.period_ids.insert(p.to_owned(), id);
        id
    }

    fn evaluator_id(&mut self, e: &str) -> u32 {
        let next = u32_of(self.evaluators.len());
        *self.evaluators.entry(e.to_owned()).or_insert(next)
    }

    /// The compact key of an entry (period, subject, indicator, rater, evaluator).
    pub fn key(
        &mut self,
        period: &str,
        subject: usize,
        indicator: usize,
        rater: RaterSlot,
        evaluator: &str,
    ) -> [u32; 5] {
        [
            self.period_id(period),
            u32_of(subject),
            u32_of(indicator),
            rater.map_or(0, |r| u32_of(r + 1)),
            self.evaluator_id(evaluator),
        ]
    }

    /// Resolve an existing ledger row's key, for `--append`. `None` when the row names a
    /// subject, indicator or rater this scheme and roster do not know.
    pub fn ledger_key(&mut self, e: &Entry) -> Option<[u32; 5]> {
        let subject = *self.subjects_by_id.get(&e.subject)?;
        let indicator = if e.indicator == TOTAL_CODE {
            self.scheme.indicators.len()
        } else {
            self.scheme.find_indicator(&e.indicator)?
        };
        let rater = match e.rater.as_str() {
            "" => None,
            r => Some(self.scheme.raters.iter().position(|x| x.id == r)?),
        };
        Some(self.key(&e.period, subject, indicator, rater, &e.evaluator))
    }

    /// Register an entry already in the ledger (line `line`), for conflict detection.
    pub fn preload(&mut self, e: &Entry, line: usize) {
        if let Some(key) = self.ledger_key(e) {
            self.seen.insert(key, (0, u32_of(line), 0));
            self.preloaded.insert(key);
            if e.indicator != TOTAL_CODE
                && let Some(i) = self.scheme.find_indicator(&e.indicator)
            {
                let k = [key[0], key[1], u32_of(i), key[3]];
                *self.counts.entry(k).or_default() += 1;
            }
        }
    }

    /// The ledger file's name, used in conflict messages.
    pub fn set_ledger_name(&mut self, name: &str) {
        self.places[0] = (name.to_owned(), String::new());
    }

    /// Start a sheet; `plans` are the column rules of a wide table.
    pub fn begin(
        &mut self,
        file: &str,
        sheet: &str,
        layout: Layout,
        context: Context,
        plans: std::collections::HashMap<usize, ColumnPlan>,
    ) -> SheetImport {
        self.places.push((file.to_owned(), sheet.to_owned()));
        let header_line = layout.data_start();
        SheetImport {
            layout: std::sync::Arc::new(layout),
            context,
            counts: Counts::default(),
            file: file.to_owned(),
            sheet: sheet.to_owned(),
            place: u32_of(self.places.len() - 1),
            reported_columns: HashSet::default(),
            period_reported: false,
            plans,
            unread: HashMap::default(),
            header_line,
            rows_are_respondents: false,
            words: Vec::new(),
            deferred: Vec::new(),
            percent_above_one: vec![false; self.scheme.indicators.len()],
        }
    }

    /// End a sheet: one issue per column that was not read, with its count of values
    /// (an error when the header looks like an indicator or declares the wrong unit).
    pub fn finish(&mut self, st: &mut SheetImport, sink: &mut dyn Sink) {
        // As in a wide column: refused only when no value of the indicator exceeds 1 and some
        // lies strictly between 0 and 1.
        let fractional: HashSet<usize> =
            st.deferred.iter().filter(|d| d.value < Decimal::ONE).map(|d| d.indicator).collect();
        for d in std::mem::take(&mut st.deferred) {
            if st.percent_above_one[d.indicator] || !fractional.contains(&d.indicator) {
                let slot = Slot {
                    period: &d.period,
                    subject: d.subject,
                    indicator: d.indicator,
                    rater: d.rater,
                    evaluator: &d.evaluator,
                };
                let shown = d.shown.clone();
                self.write(st, slot, d.value, d.at, &move || shown.clone(), sink);
            } else {
                st.counts.rejected += 1;
                let msg = Msg::AmbiguousPercent {
                    code: self.scheme.indicators[d.indicator].code.clone(),
                    value: clip(&d.shown),
                };
                Self::issue(sink, Severity::Error, msg, st.loc(d.at.row, d.at.column), &d.shown);
            }
        }
        let Layout::Wide { columns, .. } = &*st.layout else { return };
        for column in columns {
            let col = column.col();
            let cells = st.unread.get(&col).copied().unwrap_or(0);
            let loc = st.loc(st.header_line, col);
            match column {
                WideColumn::Unknown { header, suggestion, hint, ambiguous, .. } => {
                    let (severity, msg) = if !ambiguous.is_empty() {
                        (Severity::Error, Msg::AmbiguousIndicator { text: header.clone(), codes: ambiguous.clone() })
                    } else if suggestion.is_some() {
                        let msg = Msg::UnknownColumn {
                            header: header.clone(),
                            suggestion: suggestion.clone(),
                            hint: None,
                            cells,
                        };
                        (Severity::Error, msg)
                    } else {
                        (
                            Severity::Warning,
                            Msg::UnknownColumn { header: header.clone(), suggestion: None, hint: hint.clone(), cells },
                        )
                    };
                    Self::issue(sink, severity, msg, loc, header);
                }
                WideColumn::BadUnit { indicator, header_unit, header, .. } => {
                    let ind = &self.scheme.indicators[*indicator];
                    let msg = Msg::HeaderUnitMismatch {
                        code: ind.code.clone(),
                        header_unit: header_unit.clone(),
                        unit: ind.unit.clone().unwrap_or_default(),
                    };
                    Self::issue(sink, Severity::Error, msg, loc, header);
                }
                WideColumn::Indicator { indicator, header, .. } => {
                    if let Some(ColumnPlan { scale: Some((out_of, full)), .. }) = st.plans.get(&col) {
                        let code = self.scheme.indicators[*indicator].code.clone();
                        let msg = Msg::ScaleConverted { code, out_of: *out_of, full: *full };
                        Self::issue(sink, Severity::Info, msg, loc, header);
                    }
                }
                _ => {}
            }
        }
    }

    fn place_text(&self, p: Place) -> String {
        let (file, sheet) = &self.places[p.0 as usize];
        if p.0 == 0 {
            return format!("{file}:{}", p.1);
        }
        Location { file: file.clone(), sheet: sheet.clone(), row: Some(p.1 as usize), column: Some(p.2 as usize) }
            .source()
    }

    /// One data row (1-based `row`) of a sheet.
    pub fn row(&mut self, st: &mut SheetImport, row: usize, cells: &[CellValue], sink: &mut dyn Sink) {
        let texts: Vec<std::borrow::Cow<'_, str>> = cells.iter().map(CellValue::text).collect();
        if texts.iter().all(|t| t.trim().is_empty()) || is_footer(&texts) {
            return;
        }
        let layout = std::sync::Arc::clone(&st.layout);
        match &*layout {
            Layout::Long { columns, .. } => self.long_row(st, row, cells, &texts, columns, sink),
            &Layout::Wide { subject, evaluator, respondent, ref columns, .. } => {
                let evaluator = match evaluator {
                    // A survey's response id or time: unique within its file.
                    Some(c) if respondent => Some(format!(
                        "{}#{}",
                        st.context.evaluator,
                        cells.get(c).map(CellValue::display).unwrap_or_default().trim()
                    )),
                    Some(c) => Some(cells.get(c).map(CellValue::display).unwrap_or_default().trim().to_owned()),
                    None => {
                        let several = st.context.rater.is_some_and(|r| self.scheme.raters[r].min_count > 1);
                        (st.rows_are_respondents && several).then(|| format!("{}#{row}", st.context.evaluator))
                    }
                };
                self.wide_row(st, row, cells, subject, evaluator, columns, sink);
            }
            &Layout::Grid { kind, label_col, ref columns, indicator, .. } => {
                self.grid_row(st, row, cells, kind, label_col, columns, indicator, sink);
            }
        }
    }

    fn issue(sink: &mut dyn Sink, severity: Severity, msg: Msg, location: Location, value: &str) {
        sink.issue(Issue { severity, msg, location, value: clip(value) });
    }

    /// Whether a text names a roster subject (by id or name).
    pub fn knows_subject(&self, text: &str) -> bool {
        let t = text.trim();
        !t.is_empty()
            && (self.subjects_by_id.contains_key(t) || self.subjects_by_name.contains_key(&normalize_header(t)))
    }

    /// Look up a subject by id, then by name.
    fn subject(&mut self, text: &str) -> Result<usize, Box<Msg>> {
        let t = text.trim();
        if let Some(&i) = self.subjects_by_id.get(t) {
            return Ok(i);
        }
        match self.subjects_by_name.get(&normalize_header(t)).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) => Err(Box::new(Msg::AmbiguousSubject {
                text: t.to_owned(),
                ids: many.iter().map(|&i| self.roster.subjects[i].id.clone()).collect(),
            })),
            _ => {
                let suggestion = if self.suggestions_left > 0 {
                    self.suggestions_left -= 1;
                    let names = self.roster.subjects.iter().flat_map(|s| {
                        [s.id.as_str(), s.name.as_str()].into_iter().chain(s.aliases.iter().map(String::as_str))
                    });
                    closest(t, names)
                } else {
                    None
                };
                Err(Box::new(Msg::UnknownSubject { text: t.to_owned(), suggestion }))
            }
        }
    }

    /// A rater by id or name; `Ok(None)` for data (empty, `data`, 数据).
    pub fn rater(&self, text: &str) -> Result<RaterSlot, Box<Msg>> {
        rater_slot(self.scheme, text)
    }

    fn category_text(&self, subject: usize) -> String {
        self.roster.subjects[subject].category.clone().unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    fn wide_row(
        &mut self,
        st: &mut SheetImport,
        row: usize,
        cells: &[CellValue],
        subject_col: usize,
        evaluator: Option<String>,
        columns: &[WideColumn],
        sink: &mut dyn Sink,
    ) {
        let empty = CellValue::Empty;
        let cell = |c: usize| cells.get(c).unwrap_or(&empty);
        let data_cols: Vec<usize> = columns
            .iter()
            .filter_map(|c| match c {
                WideColumn::Indicator { col, .. } | WideColumn::Total { col } => Some(*col),
                _ => None,
            })
            .filter(|&c| !cell(c).is_blank())
            .collect();
        let subject_text = cell(subject_col).display();
        let reject_row = |st: &mut SheetImport, sink: &mut dyn Sink, msg: Msg| {
            let n = data_cols.len() as u64;
            st.counts.read += n;
            st.counts.rejected += n;
            if n > 0 {
                Self::issue(sink, Severity::Error, msg, st.loc(row, subject_col), &subject_text);
            }
        };
        if subject_text.trim().is_empty() {
            reject_row(st, sink, Msg::MissingSubject);
            return;
        }
        let Some(period) = Self::period(st, data_cols.len() as u64, sink) else {
            return;
        };
        let subject = match self.subject(&subject_text) {
            Ok(s) => s,
            Err(msg) => {
                reject_row(st, sink, *msg);
                return;
            }
        };
        // A name beside the id must name the same subject (its name, an alias or its id; two
        // people may share a name, so the name is compared, not looked up).
        for column in columns {
            let subj = &self.roster.subjects[subject];
            if let WideColumn::SubjectName { col } = column
                && let found = normalize_header(&cell(*col).display())
                && !found.is_empty()
                && found != normalize_header(&subj.name)
                && found != normalize_header(&subj.id)
                && !subj.aliases.iter().any(|a| normalize_header(a) == found)
            {
                let msg = Msg::SubjectNameMismatch {
                    id: subj.id.clone(),
                    expected: subj.name.clone(),
                    found: clip(&cell(*col).display()),
                };
                reject_row(st, sink, msg);
                return;
            }
        }
        let evaluator = evaluator.filter(|e| !e.is_empty()).unwrap_or_else(|| st.context.evaluator.clone());
        // A unit's own row in the sheet it filled in as evaluator (本单位不评).
        if self.knows_subject(&evaluator) && self.subject(&evaluator).ok() == Some(subject) {
            let own = columns.iter().filter_map(|c| match c {
                WideColumn::Indicator { col, .. } => Some((*col, cell(*col))),
                _ => None,
            });
            return self.own_cells(st, row, own, subject, sink);
        }
        // The row's own values as written, for comparing with the sheet's 合计.
        let mut row_sum = Some(Decimal::ZERO);
        let mut total_cell = None;
        for column in columns {
            match column {
                WideColumn::Indicator { col, indicator, .. } => {
                    let c = cell(*col);
                    match parse_raw(c, &self.scheme.indicators[*indicator]) {
                        Parsed::Value(v) => row_sum = row_sum.and_then(|s| s.checked_add(v)),
                        Parsed::Missing => {}
                        Parsed::Bad(_) => row_sum = None,
                    }
                    let at = Cell { row, col: *col, subject, indicator: *indicator };
                    self.put(st, at, c, &period, &evaluator, sink);
                }
                WideColumn::Total { col } => {
                    let c = cell(*col);
                    if !c.is_blank() {
                        total_cell = Some((*col, c));
                    }
                }
                WideColumn::Unknown { col, .. } | WideColumn::BadUnit { col, .. } if !cell(*col).is_blank() => {
                    st.counts.read += 1;
                    st.counts.rejected += 1;
                    *st.unread.entry(*col).or_default() += 1;
                }
                _ => {}
            }
        }
        if let (Some((col, c)), Some(sum)) = (total_cell, row_sum) {
            Self::check_total(c, sum, st.loc(row, col), sink);
        }
    }

    /// Cells where a unit would rate itself: blank, a dash or 本单位不评 are no values; a
    /// value is refused.
    fn own_cells<'c>(
        &mut self,
        st: &mut SheetImport,
        row: usize,
        cells: impl Iterator<Item = (usize, &'c CellValue)>,
        subject: usize,
        sink: &mut dyn Sink,
    ) {
        for (col, c) in cells {
            let text = c.display();
            let not_rated = c.is_blank()
                || crate::core::import::cell::is_not_rated(&text)
                || crate::core::import::cell::is_missing_text(&text);
            if not_rated {
                continue;
            }
            st.counts.read += 1;
            st.counts.rejected += 1;
            let msg = Msg::SelfRating { subject: self.roster.subjects[subject].id.clone() };
            Self::issue(sink, Severity::Error, msg, st.loc(row, col), &text);
        }
    }

    /// The sheet's period; without one, the row's `n` values are rejected (and the reason
    /// reported once per sheet).
    fn period(st: &mut SheetImport, n: u64, sink: &mut dyn Sink) -> Option<String> {
        if let Some(p) = &st.context.period {
            return Some(p.clone());
        }
        st.counts.read += n;
        st.counts.rejected += n;
        if !st.period_reported {
            st.period_reported = true;
            let loc = Location { file: st.file.clone(), sheet: st.sheet.clone(), row: None, column: None };
            let msg = st.context.period_problem.clone().unwrap_or(Msg::MissingPeriod);
            Self::issue(sink, Severity::Error, msg, loc, "");
        }
        None
    }

    /// One row of a grid: the row label names an indicator (transposed), an evaluating unit
    /// (matrix) or a subject (evaluator columns); the column headers name subjects or
    /// evaluators. A unit's own cell in a peer matrix is skipped, whatever it holds.
    #[allow(clippy::too_many_arguments)]
    fn grid_row(
        &mut self,
        st: &mut SheetImport,
        row: usize,
        cells: &[CellValue],
        kind: GridKind,
        label_col: usize,
        columns: &[(usize, String)],
        fixed: Option<usize>,
        sink: &mut dyn Sink,
    ) {
        let empty = CellValue::Empty;
        let cell = |c: usize| cells.get(c).unwrap_or(&empty);
        let label = cell(label_col).display().trim().to_owned();
        let filled = columns.iter().filter(|(c, _)| !cell(*c).is_blank()).count() as u64;
        let reject_row = |st: &mut SheetImport, sink: &mut dyn Sink, msg: Msg| {
            st.counts.read += filled;
            st.counts.rejected += filled;
            if filled > 0 {
                Self::issue(sink, Severity::Error, msg, st.loc(row, label_col), &label);
            }
        };
        if label.is_empty() {
            let msg = if kind == GridKind::Transposed {
                Msg::UnknownIndicator { text: String::new(), suggestion: None }
            } else {
                Msg::MissingSubject
            };
            return reject_row(st, sink, msg);
        }
        let Some(period) = Self::period(st, filled, sink) else { return };
        // What the row label names.
        let (row_subject, indicator) = match kind {
            GridKind::Transposed => match self.index.find(self.scheme, &label, None) {
                Lookup::One(i) if self.scheme.indicators[i].children.is_empty() => (None, i),
                Lookup::One(i) => {
                    return reject_row(st, sink, Msg::NotLeaf { code: self.scheme.indicators[i].code.clone() });
                }
                Lookup::Ambiguous(codes) => {
                    return reject_row(st, sink, Msg::AmbiguousIndicator { text: label.clone(), codes });
                }
                Lookup::None => {
                    let msg = Msg::UnknownIndicator { text: label.clone(), suggestion: self.index.suggest(&label) };
                    return reject_row(st, sink, msg);
                }
            },
            _ => match (self.subject(&label), fixed) {
                (Ok(s), Some(i)) => (Some(s), i),
                (Err(msg), _) => return reject_row(st, sink, *msg),
                (Ok(_), None) => return reject_row(st, sink, Msg::MissingSubject),
            },
        };
        for (col, header) in columns {
            let c = cell(*col);
            let (subject, evaluator) = match kind {
                GridKind::EvaluatorColumns => (row_subject.unwrap_or_default(), header.clone()),
                _ => {
                    let subject = match self.subject(header) {
                        Ok(s) => s,
                        Err(msg) => {
                            if !c.is_blank() {
                                st.counts.read += 1;
                                st.counts.rejected += 1;
                                if st.reported_columns.insert(*col) {
                                    Self::issue(sink, Severity::Error, *msg, st.loc(st.header_line, *col), header);
                                }
                            }
                            continue;
                        }
                    };
                    match row_subject {
                        // The diagonal: a unit does not rate itself.
                        Some(me) if me == subject => {
                            self.own_cells(st, row, std::iter::once((*col, c)), subject, sink);
                            continue;
                        }
                        Some(me) => (subject, self.roster.subjects[me].id.clone()),
                        None => (subject, st.context.evaluator.clone()),
                    }
                }
            };
            let at = Cell { row, col: *col, subject, indicator };
            self.put(st, at, c, &period, &evaluator, sink);
        }
    }

    /// One value cell of any layout, once its subject and indicator are known: the category,
    /// the rater and the value are checked, and a good value written. A cell marked as not
    /// rated (本单位不评, 回避) is no value at all.
    fn put(
        &mut self,
        st: &mut SheetImport,
        at: Cell,
        c: &CellValue,
        period: &str,
        evaluator: &str,
        sink: &mut dyn Sink,
    ) {
        let Cell { row, col, subject, indicator } = at;
        if let CellValue::Text(t) = c
            && crate::core::import::cell::is_not_rated(t)
        {
            return;
        }
        let ind = &self.scheme.indicators[indicator];
        let applies = ind.applies_to(self.subject_category[subject]);
        let missing = matches!(parse_value(c, ind), Parsed::Missing);
        // A blank cell where the value could not belong anyway (an indicator not for this
        // subject's category, or not rated by this sheet's rater) is nothing at all.
        let rated_here = match (&ind.method, st.context.rater) {
            (Some(Method::Rating { raters, .. }), Some(r)) => raters.iter().any(|(k, w)| *k == r && *w > Decimal::ZERO),
            _ => true,
        };
        if (!applies || !rated_here) && missing {
            return;
        }
        st.counts.read += 1;
        if !applies {
            st.counts.rejected += 1;
            let msg = Msg::NotApplicable {
                code: ind.code.clone(),
                subject: self.roster.subjects[subject].id.clone(),
                category: self.category_text(subject),
            };
            return Self::issue(sink, Severity::Error, msg, st.loc(row, col), &c.display());
        }
        let rater = if ind.method.as_ref().is_some_and(|m| m.kind() == MethodKind::Rating) {
            match st.context.rater {
                Some(r) => Some(r),
                None => {
                    st.counts.rejected += 1;
                    if st.reported_columns.insert(col) {
                        let msg = Msg::RaterRequired { code: ind.code.clone() };
                        Self::issue(sink, Severity::Error, msg, st.loc(row, col), &c.display());
                    }
                    return;
                }
            }
        } else {
            None
        };
        let ev = if rater.is_some() { evaluator } else { "" };
        let slot = Slot { period, subject, indicator, rater, evaluator: ev };
        self.value(st, slot, c, At { row, column: col }, sink);
    }

    /// A sheet's own 合计 is a check, not data: compared with the sum of the row's values as
    /// written (at the total's decimals), never imported.
    fn check_total(cell: &CellValue, sum: Decimal, loc: Location, sink: &mut dyn Sink) {
        let total = match cell {
            CellValue::Number(f) => crate::core::import::cell::number_to_decimal(*f),
            CellValue::Text(t) => {
                let t: String =
                    crate::core::import::cell::fold_width(t).chars().filter(|c| !c.is_whitespace()).collect();
                t.trim_end_matches('分').parse::<Decimal>().ok()
            }
            _ => None,
        };
        let Some(total) = total else { return };
        let dp = total.normalize().scale();
        let rounded = sum.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        if rounded != total.normalize() {
            let shown = cell.display();
            Self::issue(sink, Severity::Warning, Msg::SheetTotalMismatch { total, sum: sum.normalize() }, loc, &shown);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn long_row(
        &mut self,
        st: &mut SheetImport,
        row: usize,
        cells: &[CellValue],
        texts: &[std::borrow::Cow<'_, str>],
        cols: &crate::core::import::header::LongColumns,
        sink: &mut dyn Sink,
    ) {
        st.counts.read += 1;
        let text = |c: usize| texts.get(c).map_or("", |s| s.trim());
        let reject = |st: &mut SheetImport, sink: &mut dyn Sink, msg: Msg, col: usize| {
            st.counts.rejected += 1;
            Self::issue(sink, Severity::Error, msg, st.loc(row, col), text(col));
        };
        let period = match cols.period.map(|c| (c, text(c))).filter(|(_, t)| !t.is_empty()) {
            Some((c, t)) => match self.memo_period.get_or(t, || find_period(t)) {
                Some(p) if p.kind == self.scheme.period => p.name,
                Some(p) => {
                    let expected = format!("{:?}", self.scheme.period).to_lowercase();
                    return reject(st, sink, Msg::PeriodKindMismatch { period: p.name, expected }, c);
                }
                None => return reject(st, sink, Msg::BadPeriod { text: t.to_owned() }, c),
            },
            None => match st.context.period.clone() {
                Some(p) => p,
                None => return reject(st, sink, Msg::MissingPeriod, cols.period.unwrap_or(cols.subject)),
            },
        };
        if text(cols.subject).is_empty() {
            return reject(st, sink, Msg::MissingSubject, cols.subject);
        }
        let subject = match self.subject(text(cols.subject)) {
            Ok(s) => s,
            Err(msg) => return reject(st, sink, *msg, cols.subject),
        };
        let (index, scheme) = (&self.index, self.scheme);
        let indicator =
            match self.memo_indicator.get_or(text(cols.indicator), || index.find(scheme, text(cols.indicator), None)) {
                Lookup::One(i) => i,
                Lookup::Ambiguous(codes) => {
                    let msg = Msg::AmbiguousIndicator { text: text(cols.indicator).to_owned(), codes };
                    return reject(st, sink, msg, cols.indicator);
                }
                Lookup::None => {
                    let t = text(cols.indicator);
                    if normalize_header(t) == "总分" || normalize_header(t) == "合计" || t == TOTAL_CODE {
                        // A total is perf's to compute: not a value, not counted.
                        st.counts.read -= 1;
                        return;
                    }
                    let msg = Msg::UnknownIndicator { text: t.to_owned(), suggestion: self.index.suggest(t) };
                    return reject(st, sink, msg, cols.indicator);
                }
            };
        let ind = &self.scheme.indicators[indicator];
        if !ind.children.is_empty() {
            return reject(st, sink, Msg::NotLeaf { code: ind.code.clone() }, cols.indicator);
        }
        if !ind.applies_to(self.subject_category[subject]) {
            let msg = Msg::NotApplicable {
                code: ind.code.clone(),
                subject: self.roster.subjects[subject].id.clone(),
                category: self.category_text(subject),
            };
            return reject(st, sink, msg, cols.indicator);
        }
        let is_rating = ind.method.as_ref().is_some_and(|m| m.kind() == MethodKind::Rating);
        let rater = match cols.rater.map(|c| (c, text(c))) {
            Some((c, t)) => match self.memo_rater.get_or(t, || rater_slot(self.scheme, t)) {
                Ok(r) => {
                    if let (Some(r), false) = (r, is_rating) {
                        let rater = self.scheme.raters[r].id.clone();
                        return reject(st, sink, Msg::RaterNotAllowed { code: ind.code.clone(), rater }, c);
                    }
                    r
                }
                Err(msg) => return reject(st, sink, *msg, c),
            },
            None if is_rating => st.context.rater,
            None => None,
        };
        if is_rating && rater.is_none() {
            return reject(
                st,
                sink,
                Msg::RaterRequired { code: ind.code.clone() },
                cols.rater.unwrap_or(cols.indicator),
            );
        }
        let evaluator = if rater.is_some() {
            cols.evaluator
                .map(|c| text(c).to_owned())
                .filter(|e| !e.is_empty())
                .map(|e| if cols.respondent { format!("{}#{e}", st.context.evaluator) } else { e })
                .unwrap_or_else(|| st.context.evaluator.clone())
        } else {
            String::new()
        };
        let value = cells.get(cols.value).unwrap_or(&CellValue::Empty);
        let slot = Slot { period: &period, subject, indicator, rater, evaluator: &evaluator };
        self.value(st, slot, value, At { row, column: cols.value }, sink);
    }

    /// Check a value cell (`at`: 1-based row, 0-based column of the sheet) and, if good
    /// and new, write it. Its `Location` is built only for an issue.
    fn value(&mut self, st: &mut SheetImport, slot: Slot<'_>, cell: &CellValue, at: At, sink: &mut dyn Sink) {
        let (subject, rater) = (slot.subject, slot.rater);
        let ind = &self.scheme.indicators[slot.indicator];
        // The cell's text and the indicator's code are only needed for an issue.
        let shown = || cell.display();
        if let (Some(r), Some(Method::Rating { raters, .. })) = (rater, &ind.method)
            && !raters.iter().any(|(k, w)| *k == r && *w > Decimal::ZERO)
        {
            st.counts.rejected += 1;
            let msg = Msg::RaterNotUsed { code: ind.code.clone(), rater: self.scheme.raters[r].id.clone() };
            return Self::issue(sink, Severity::Error, msg, st.loc(at.row, at.column), &shown());
        }
        let code = || ind.code.clone();
        // A word the scheme (or the file's mapping) declares (满意 = 100): its value, on the
        // rating's own scale. Looked up only for text that is not a number.
        let mut raw = parse_raw(cell, ind);
        let mut word = None;
        if let (Parsed::Bad(BadCell::NotNumber), CellValue::Text(t), Some(Method::Rating { .. })) =
            (&raw, cell, &ind.method)
        {
            let n = normalize_header(t);
            word = st.words.iter().find(|(w, _)| *w == n).map(|(_, v)| *v).or_else(|| self.scheme.word_value(t));
            if let Some(v) = word {
                raw = Parsed::Value(v);
            }
        }
        let parsed = match raw {
            Parsed::Value(v) if word.is_some() => check_range(v, ind),
            Parsed::Value(v) => match st.plans.get(&at.column).map(|p| p.apply(cell, v)) {
                None => check_range(v, ind),
                Some(Applied::Value(v)) => check_range(v, ind),
                Some(other) => {
                    st.counts.rejected += 1;
                    let value = clip(&shown());
                    let msg = match other {
                        Applied::AmbiguousPercent => Msg::AmbiguousPercent { code: code(), value },
                        Applied::AmbiguousScale { out_of, full } => {
                            Msg::AmbiguousScale { code: code(), value, out_of, full }
                        }
                        Applied::Inexact | Applied::Value(_) => {
                            let (out_of, full) = st.plans.get(&at.column).and_then(|p| p.scale).unwrap_or_default();
                            Msg::ScaleNotExact { code: code(), value, out_of, full }
                        }
                    };
                    return Self::issue(sink, Severity::Error, msg, st.loc(at.row, at.column), &shown());
                }
            },
            other => other,
        };
        let v = match parsed {
            Parsed::Value(v) => v,
            Parsed::Missing => {
                st.counts.rejected += 1;
                let msg = Msg::MissingValue { code: code(), subject: self.roster.subjects[subject].id.clone() };
                return Self::issue(sink, Severity::Warning, msg, st.loc(at.row, at.column), &shown());
            }
            Parsed::Bad(bad) => {
                st.counts.rejected += 1;
                let msg = match bad {
                    BadCell::ExcelError(e) => Msg::ExcelError { value: e },
                    BadCell::NotNumber => Msg::NotNumber { code: code(), value: clip(&shown()) },
                    BadCell::NotBoolean => Msg::NotBoolean { code: code(), value: clip(&shown()) },
                    BadCell::Date => Msg::DateValue { value: clip(&shown()) },
                    BadCell::Undecodable => Msg::Undecodable,
                    BadCell::OutOfRange { min, max } => {
                        Msg::ValueOutOfRange { code: code(), value: clip(&shown()), min, max }
                    }
                    BadCell::Unsaved => Msg::UnsavedFormula,
                };
                return Self::issue(sink, Severity::Error, msg, st.loc(at.row, at.column), &shown());
            }
        };
        // Long tables have no column plan: a fraction under a % indicator waits for the rest
        // of the sheet to say how that indicator is written.
        if matches!(*st.layout, Layout::Long { .. })
            && word.is_none()
            && !crate::core::import::cell::is_explicit_percent(cell)
            && crate::core::import::cell::percent_means_points(ind)
        {
            if v > Decimal::ONE {
                st.percent_above_one[slot.indicator] = true;
            } else if v > Decimal::ZERO {
                st.deferred.push(Deferred {
                    period: slot.period.to_owned(),
                    subject,
                    indicator: slot.indicator,
                    rater,
                    evaluator: slot.evaluator.to_owned(),
                    value: v,
                    at,
                    shown: shown(),
                });
                return;
            }
        }
        self.write(st, slot, v, at, &shown, sink);
    }

    /// An entry of a perf ledger given as an input: checked against the scheme and roster and
    /// for duplicates, then passed on unchanged (its `source` included), so that importing a
    /// ledger again gives the same bytes. `line` locates it in `file`; `counts` is the file's.
    pub fn ledger_entry(&mut self, e: Entry, file: &str, line: usize, counts: &mut Counts, sink: &mut dyn Sink) {
        counts.read += 1;
        // One place per file (the last one pushed, when it is this file's).
        if self.places.last().is_none_or(|(f, s)| f != file || !s.is_empty()) || self.places.len() == 1 {
            self.places.push((file.to_owned(), String::new()));
        }
        let place = u32_of(self.places.len() - 1);
        let loc = Location { file: file.to_owned(), sheet: String::new(), row: Some(line), column: None };
        let Some(key) = self.ledger_key(&e) else {
            counts.rejected += 1;
            let msg = if !self.subjects_by_id.contains_key(&e.subject) {
                Msg::UnknownSubject { text: e.subject.clone(), suggestion: None }
            } else if e.indicator != TOTAL_CODE && self.scheme.find_indicator(&e.indicator).is_none() {
                Msg::UnknownIndicator { text: e.indicator.clone(), suggestion: self.index.suggest(&e.indicator) }
            } else {
                Msg::UnknownRater { rater: e.rater.clone(), suggestion: None }
            };
            return Self::issue(sink, Severity::Error, msg, loc, &e.value.to_string());
        };
        if e.indicator == TOTAL_CODE {
            // A sheet total from an older perf: a check, not a value.
            counts.read -= 1;
            return;
        }
        if let Some(&first) = self.seen.get(&key) {
            counts.rejected += 1;
            let first = self.place_text(first);
            return Self::issue(sink, Severity::Error, Msg::DuplicateEntry { first }, loc, &e.value.to_string());
        }
        self.seen.insert(key, (place, u32_of(line), 0));
        *self.counts.entry([key[0], key[1], key[2], key[3]]).or_default() += 1;
        counts.accepted += 1;
        sink.entry(e.as_ref());
    }

    /// Duplicate check, then the entry.
    fn write(
        &mut self,
        st: &mut SheetImport,
        slot: Slot<'_>,
        value: Decimal,
        at: At,
        shown: &dyn Fn() -> String,
        sink: &mut dyn Sink,
    ) {
        let Slot { period, subject, indicator, rater, evaluator } = slot;
        let key = self.key(period, subject, indicator, rater, evaluator);
        let here: Place = (st.place, u32_of(at.row), u32_of(at.column));
        // One lookup for a new key (the usual case); a key seen before is a duplicate, or an
        // existing ledger entry that --replace lets this value replace once.
        match self.seen.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(here);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let first = *o.get();
                let preloaded = self.preloaded.contains(&key);
                if preloaded && self.replace && !self.replaced.contains(&key) {
                    o.insert(here);
                    self.replaced.insert(key);
                } else {
                    st.counts.rejected += 1;
                    let first = self.place_text(first);
                    let msg = if preloaded { Msg::LedgerConflict { first } } else { Msg::DuplicateEntry { first } };
                    return Self::issue(sink, Severity::Error, msg, st.loc(at.row, at.column), &shown());
                }
            }
        }
        if indicator < self.scheme.indicators.len() {
            *self.counts.entry([key[0], key[1], key[2], key[3]]).or_default() += 1;
        }
        st.counts.accepted += 1;
        let mut source = std::mem::take(&mut self.source_buf);
        source.clear();
        write_source(&st.file, &st.sheet, Some(at.row), Some(at.column), &mut source);
        sink.entry(EntryRef {
            period,
            subject: &self.roster.subjects[subject].id,
            indicator: self.scheme.indicators.get(indicator).map_or(TOTAL_CODE, |i| i.code.as_str()),
            rater: rater.map_or("", |r| self.scheme.raters[r].id.as_str()),
            evaluator,
            value,
            source: &source,
        });
        self.source_buf = source;
    }

    /// Completeness for every period that has entries (and `extra`): roster subjects with no
    /// value for an indicator or rater they need, and raters below `min_count`. Deduction,
    /// bonus and veto items are counts of events: no value means none happened.
    pub fn completeness(&self, extra: Option<&str>) -> (Vec<Issue>, Vec<CompletenessRow>) {
        let mut periods: BTreeSet<String> = self.counts.keys().map(|k| self.periods[k[0] as usize].clone()).collect();
        periods.extend(extra.map(str::to_owned));
        let mut issues = Vec::new();
        let mut rows: Vec<CompletenessRow> = Vec::new();
        for period in &periods {
            let pid = self.period_ids.get(period).copied();
            for (i, ind) in self.scheme.indicators.iter().enumerate() {
                let needs: Vec<RaterSlot> = match &ind.method {
                    Some(Method::Rating { raters, .. }) => {
                        raters.iter().filter(|(_, w)| *w > Decimal::ZERO).map(|(r, _)| Some(*r)).collect()
                    }
                    Some(Method::Deduction { .. } | Method::Bonus { .. } | Method::Veto { .. }) | None => continue,
                    Some(_) => vec![None],
                };
                for rater in needs {
                    let mut row = CompletenessRow {
                        period: period.clone(),
                        indicator: ind.code.clone(),
                        rater: rater.map_or_else(String::new, |r| self.scheme.raters[r].id.clone()),
                        ..CompletenessRow::default()
                    };
                    for (s, subj) in self.roster.subjects.iter().enumerate() {
                        if !ind.applies_to(self.subject_category[s]) {
                            continue;
                        }
                        row.expected += 1;
                        let n = pid.map_or(0, |p| {
                            self.counts
                                .get(&[p, u32_of(s), u32_of(i), rater.map_or(0, |r| u32_of(r + 1))])
                                .copied()
                                .unwrap_or(0)
                        });
                        let loc = Location::default();
                        if n == 0 {
                            row.missing += 1;
                            let msg = match rater {
                                Some(r) => Msg::MissingRaterValues {
                                    period: period.clone(),
                                    subject: subj.id.clone(),
                                    code: ind.code.clone(),
                                    rater: self.scheme.raters[r].id.clone(),
                                },
                                None => Msg::MissingData {
                                    period: period.clone(),
                                    subject: subj.id.clone(),
                                    code: ind.code.clone(),
                                },
                            };
                            issues.push(Issue {
                                severity: Severity::Warning,
                                msg,
                                location: loc,
                                value: String::new(),
                            });
                        } else {
                            row.present += 1;
                            if let Some(r) = rater {
                                let min = self.scheme.raters[r].min_count;
                                if n < min {
                                    row.below_min += 1;
                                    let msg = Msg::BelowMinCount {
                                        period: period.clone(),
                                        subject: subj.id.clone(),
                                        code: ind.code.clone(),
                                        rater: self.scheme.raters[r].id.clone(),
                                        count: n,
                                        min,
                                    };
                                    issues.push(Issue {
                                        severity: Severity::Warning,
                                        msg,
                                        location: loc,
                                        value: String::new(),
                                    });
                                }
                            }
                        }
                    }
                    if row.expected > 0 {
                        rows.push(row);
                    }
                }
            }
        }
        (issues, rows)
    }
}

/// One line of the completeness table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompletenessRow {
    pub period: String,
    pub indicator: String,
    pub rater: String,
    pub expected: u32,
    pub present: u32,
    pub missing: u32,
    pub below_min: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sources() {
        let l = Location { file: "data/a.xlsx".into(), sheet: "汇总".into(), row: Some(12), column: Some(2) };
        assert_eq!(l.source(), "data/a.xlsx#汇总!C12");
        let l = Location { file: "a.csv".into(), sheet: String::new(), row: Some(3), column: Some(0) };
        assert_eq!(l.source(), "a.csv!A3");
    }
}
