//! Every message perf can say about its inputs, with a stable code and its Chinese and
//! English text.
//!
//! The code (`duplicate-code`, `unknown-key`, …) is the contract for scripts and tests; the
//! text is for people. Chinese is the default language; English with `--lang en`.

use crate::Lang;
use rust_decimal::Decimal;

/// A decimal as people write it: no trailing zeros.
pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

/// What a value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Positive,
    NonNegative,
    ZeroToOne,
    /// 0 < x ≤ 1
    Share,
    AtMost(Decimal),
    Between(Decimal, Decimal),
}

impl Expect {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Expect::Positive, Lang::Zh) => "大于 0".into(),
            (Expect::Positive, Lang::En) => "greater than 0".into(),
            (Expect::NonNegative, Lang::Zh) => "不小于 0".into(),
            (Expect::NonNegative, Lang::En) => "at least 0".into(),
            (Expect::ZeroToOne, Lang::Zh) => "在 0 到 1 之间".into(),
            (Expect::ZeroToOne, Lang::En) => "between 0 and 1".into(),
            (Expect::Share, Lang::Zh) => "大于 0 且不大于 1".into(),
            (Expect::Share, Lang::En) => "greater than 0 and at most 1".into(),
            (Expect::AtMost(m), Lang::Zh) => format!("不大于 {}", dec(*m)),
            (Expect::AtMost(m), Lang::En) => format!("at most {}", dec(*m)),
            (Expect::Between(a, b), Lang::Zh) => format!("在 {} 到 {} 之间", dec(*a), dec(*b)),
            (Expect::Between(a, b), Lang::En) => format!("between {} and {}", dec(*a), dec(*b)),
        }
    }
}

/// How the bands of a `bands` indicator are wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BandFault {
    /// min not above the previous band's min
    Unordered { prev_min: Decimal, min: Decimal },
    /// max above the next band's min (or equal mins)
    Overlap { max: Decimal, next_min: Decimal },
    /// max below the next band's min
    Gap { max: Decimal, next_min: Decimal },
    /// max not above its own min
    Empty { min: Decimal, max: Decimal },
}

/// A parent whose points differ from its children's sum (boxed: the largest message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildrenMismatch {
    pub parent: String,
    pub name: String,
    pub points: Decimal,
    pub sum: Decimal,
    pub categories: Vec<String>,
    pub children: Vec<(String, Decimal)>,
}

/// Every message, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    // ---- reading the file -------------------------------------------------------------------
    NotUtf8 {
        byte: usize,
    },
    TomlSyntax {
        detail: String,
    },
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    UnknownValue {
        value: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    MissingKey {
        key: String,
    },
    DuplicateKey,
    InvalidValue {
        detail: String,
    },
    // ---- values -----------------------------------------------------------------------------
    OutOfRange {
        key: String,
        value: String,
        expect: Expect,
    },
    // ---- the indicator tree -----------------------------------------------------------------
    NoIndicators,
    EmptyCode,
    DuplicateCode {
        code: String,
        first_line: usize,
    },
    UnknownParent {
        code: String,
        parent: String,
        suggestion: Option<String>,
    },
    ParentCycle {
        chain: Vec<String>,
    },
    TrackMismatch {
        code: String,
        track: String,
        parent: String,
        parent_track: String,
    },
    CategoryOutsideParent {
        code: String,
        category: String,
        parent: String,
    },
    LeafWithoutMethod {
        code: String,
    },
    ParentWithMethod {
        code: String,
    },
    MissingPoints {
        code: String,
    },
    PointsNotAllowed {
        code: String,
        method: String,
    },
    MissingParameter {
        code: String,
        method: String,
        param: String,
    },
    UnusedParameter {
        code: String,
        method: String,
        param: String,
    },
    TargetEqualsFloor {
        code: String,
        value: Decimal,
    },
    FloorWrongSide {
        code: String,
        direction: String,
        floor: Decimal,
        target: Decimal,
    },
    ConflictingParameters {
        code: String,
        first: String,
        second: String,
    },
    Bands {
        code: String,
        index: usize,
        fault: BandFault,
    },
    ChildrenPointsMismatch(Box<ChildrenMismatch>),
    TotalPointsMismatch {
        total: Decimal,
        sum: Decimal,
        categories: Vec<String>,
        tops: Vec<(String, Decimal)>,
    },
    // ---- raters, categories, grades ---------------------------------------------------------
    RaterWeightsSum {
        sum: Decimal,
    },
    IndicatorRaterWeightsSum {
        code: String,
        sum: Decimal,
    },
    NoRaters {
        code: String,
    },
    TrimUnsupported {
        rater: String,
        trim: u32,
        min_count: u32,
    },
    UnknownRater {
        rater: String,
        suggestion: Option<String>,
    },
    UnknownCategory {
        category: String,
        suggestion: Option<String>,
    },
    NoLevels,
    DuplicateGrade {
        name: String,
    },
    GradesNotDescending {
        name: String,
        min: Decimal,
        prev: String,
        prev_min: Decimal,
    },
    UnknownGrade {
        grade: String,
        suggestion: Option<String>,
    },
    UnknownTieBreak {
        token: String,
        suggestion: Option<String>,
    },
    AmbiguousTieBreak {
        token: String,
    },
    // ---- roster -----------------------------------------------------------------------------
    LedgerMissingColumn {
        column: String,
        found: Vec<String>,
    },
    CsvSyntax {
        detail: String,
    },
    RosterMissingColumn {
        column: String,
        found: Vec<String>,
    },
    RosterEmpty,
    RosterDuplicateId {
        id: String,
        first_line: usize,
    },
    RosterMissingCategory {
        id: String,
    },
    RosterUnknownCategory {
        id: String,
        category: String,
        suggestion: Option<String>,
    },
    /// The quota scope names a key (unit, category, level) this subject has no value for.
    RosterMissingPoolKey {
        id: String,
        /// `unit`, `category` or `level`.
        key: &'static str,
    },
    // ---- import -----------------------------------------------------------------------------
    UnreadableFile {
        detail: String,
    },
    MixedEncoding {
        first_gbk_line: usize,
    },
    HtmlDisguised,
    UnsupportedFile {
        kind: FileKind,
    },
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    NoTable {
        saw: Vec<String>,
        why: NoTableWhy,
    },
    SheetNotATable {
        kind: String,
    },
    /// A sheet whose values spread over more cells than can be laid out (`far`: the
    /// farthest values, e.g. `IV65536`); `by_book`: the sheet alone fits, the workbook's
    /// sheets together do not.
    SheetTooLarge {
        rows: u64,
        cols: u64,
        values: u64,
        far: Vec<String>,
        limit: u64,
        by_book: bool,
    },
    NoData,
    MissingPeriod,
    BadPeriod {
        text: String,
    },
    PeriodKindMismatch {
        period: String,
        expected: String,
    },
    MissingSubject,
    UnknownSubject {
        text: String,
        suggestion: Option<String>,
    },
    AmbiguousSubject {
        text: String,
        ids: Vec<String>,
    },
    UnknownIndicator {
        text: String,
        suggestion: Option<String>,
    },
    AmbiguousIndicator {
        text: String,
        codes: Vec<String>,
    },
    UnknownColumn {
        header: String,
        suggestion: Option<String>,
        hint: Option<String>,
        cells: u64,
    },
    HiddenRow {
        cells: u64,
    },
    HiddenColumn {
        header: String,
        cells: u64,
    },
    UnsavedFormula,
    HeaderUnitMismatch {
        code: String,
        header_unit: String,
        unit: String,
    },
    ScaleConverted {
        code: String,
        out_of: Decimal,
        full: Decimal,
    },
    AmbiguousScale {
        code: String,
        value: String,
        out_of: Decimal,
        full: Decimal,
    },
    AmbiguousPercent {
        code: String,
        value: String,
    },
    ScaleNotExact {
        code: String,
        value: String,
        out_of: Decimal,
        full: Decimal,
    },
    PeriodConflict {
        found: String,
        place: PeriodPlace,
        expected: String,
        from: PeriodPlace,
    },
    SheetTotalMismatch {
        total: Decimal,
        sum: Decimal,
    },
    DuplicateColumn {
        header: String,
        first: String,
    },
    /// A perf template of a format this perf does not know.
    TemplateVersion {
        found: String,
    },
    /// A template column the scheme no longer has (or its rater no longer scores).
    TemplateIndicatorRemoved {
        code: String,
    },
    /// An indicator the scheme now asks of the template's rater, missing from the template.
    TemplateIndicatorAdded {
        code: String,
    },
    /// The template's columns have other points, methods or ranges than today's scheme.
    TemplateSchemeChanged,
    /// A row's name cell names another subject than its id cell (rows sorted apart?).
    SubjectNameMismatch {
        id: String,
        expected: String,
        found: String,
    },
    SelfRating {
        subject: String,
    },
    TooManyRows {
        limit: usize,
    },
    LedgerDigest {
        ledger: String,
        sha256: String,
    },
    StaleIssues {
        issues: String,
    },
    BadMapping {
        n: usize,
        detail: String,
    },
    MappingColumnMissing {
        header: String,
    },
    NotLeaf {
        code: String,
    },
    RaterRequired {
        code: String,
    },
    RaterNotAllowed {
        code: String,
        rater: String,
    },
    RaterNotUsed {
        code: String,
        rater: String,
    },
    NotApplicable {
        code: String,
        subject: String,
        category: String,
    },
    ValueOutOfRange {
        code: String,
        value: String,
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    NotNumber {
        code: String,
        value: String,
    },
    NotBoolean {
        code: String,
        value: String,
    },
    ExcelError {
        value: String,
    },
    DateValue {
        value: String,
    },
    Undecodable,
    MissingValue {
        code: String,
        subject: String,
    },
    DuplicateEntry {
        first: String,
    },
    LedgerConflict {
        first: String,
    },
    HeaderPointsMismatch {
        code: String,
        header: Decimal,
        points: Decimal,
    },
    MissingRaterValues {
        period: String,
        subject: String,
        code: String,
        rater: String,
    },
    BelowMinCount {
        period: String,
        subject: String,
        code: String,
        rater: String,
        count: u32,
        min: u32,
    },
    MissingData {
        period: String,
        subject: String,
        code: String,
    },
    // ---- annual rules -----------------------------------------------------------------------
    AnnualWeightsSum {
        sum: Decimal,
    },
    UnknownSanction {
        word: String,
        suggestion: Option<String>,
    },
    /// A line of the corrections file that lacks what a correction needs (`what`: the keys).
    CorrectionIncomplete {
        what: String,
    },
    /// A correction would move another subject across a quota line.
    CorrectionDisplaces {
        ids: Vec<String>,
    },
    /// Data for a subject who, by the roster events, was not there in the period.
    NotInPeriodRoster {
        id: String,
        period: String,
    },
    /// A subject with quarterly results this year who is not in today's roster.
    LeftRoster {
        id: String,
        periods: Vec<String>,
    },
    DuplicateHistoryRow {
        year: i32,
        subject: String,
        first_line: usize,
    },
    UnknownQuarterGrade {
        grade: String,
        expected: Vec<String>,
    },
    GradeConditionInAnnualRule {
        id: String,
    },
    EmptyOutcome {
        id: String,
    },
    DuplicateLink {
        id: String,
    },
    TranchesSum {
        sum: Decimal,
    },
    // ---- lints ------------------------------------------------------------------------------
    SmartMissing {
        code: String,
        missing: String,
    },
    ProcessShare {
        category: String,
        points: Decimal,
        total: Decimal,
    },
    Paperwork {
        code: String,
        word: String,
    },
    SpecificDominant {
        code: String,
        category: String,
        points: Decimal,
        track_points: Decimal,
    },
}

/// A file perf recognises but cannot read, named in a clerk's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Protected by an open password (or Excel's default-password encryption).
    Encrypted,
    /// An Excel 2003 XML spreadsheet (.xml, sometimes saved as .xls).
    Excel2003Xml,
    /// An Excel 2.x–4.0 worksheet (BIFF2/3/4).
    OldExcel(u8),
    /// An old Excel file in a code page no decoder knows.
    CodePage(u16),
    /// A Word or other Office compound file, not a workbook.
    NotAWorkbook,
}

impl FileKind {
    fn text(self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            FileKind::Encrypted => if zh {
                "文件已加密（设置了打开密码，或 Excel 的默认加密），perf 无法读取：请在 Excel/WPS 中打开，取消密码后另存为 .xlsx 再报送"
            } else {
                "the file is encrypted (an open password, or Excel's default encryption): open it in Excel/WPS, remove the password and save as .xlsx"
            }
            .into(),
            FileKind::Excel2003Xml => if zh {
                "这是 Excel 2003 XML 格式的表格，perf 不读这种格式：请在 Excel/WPS 中打开并另存为 .xlsx"
            } else {
                "this is an Excel 2003 XML spreadsheet, which perf does not read: open it in Excel/WPS and save as .xlsx"
            }
            .into(),
            FileKind::OldExcel(v) => if zh {
                format!("这是 Excel {v}.0 时代的老格式工作表，perf 无法读取：请在 Excel/WPS 中打开并另存为 .xlsx")
            } else {
                format!("this is an Excel {v}.0 worksheet, too old for perf: open it in Excel/WPS and save as .xlsx")
            },
            FileKind::CodePage(c) => if zh {
                format!("文件使用了无法识别的文字编码（代码页 {c}，多见于苹果电脑上的老版本 Excel）：请在 Excel/WPS 中打开并另存为 .xlsx")
            } else {
                format!("the file uses an unknown text encoding (code page {c}, common in old Mac Excel): open it in Excel/WPS and save as .xlsx")
            },
            FileKind::NotAWorkbook => if zh {
                "这是 Office 文件，但不是 Excel 工作簿（可能是 Word 文档或其他文件改了扩展名）：请报送 Excel 表格".into()
            } else {
                "this Office file is not an Excel workbook (a Word document or another file renamed?): send the spreadsheet".into()
            },
        }
    }
}

/// Where a period was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodPlace {
    /// The `_perf` sheet of a perf template.
    Template,
    SheetName,
    FileName,
    Title,
    Workspace,
}

impl PeriodPlace {
    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PeriodPlace::Template, Lang::Zh) => "录入模板的 _perf 表",
            (PeriodPlace::Template, Lang::En) => "template's _perf sheet",
            (PeriodPlace::SheetName, Lang::Zh) => "工作表名",
            (PeriodPlace::SheetName, Lang::En) => "sheet name",
            (PeriodPlace::FileName, Lang::Zh) => "文件名",
            (PeriodPlace::FileName, Lang::En) => "file name",
            (PeriodPlace::Title, Lang::Zh) => "表格标题",
            (PeriodPlace::Title, Lang::En) => "title",
            (PeriodPlace::Workspace, Lang::Zh) => "工作区（perf.toml）的考核期",
            (PeriodPlace::Workspace, Lang::En) => "workspace (perf.toml)",
        }
    }
}

/// Why no score table was found in a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoTableWhy {
    /// Nothing but blank rows.
    Empty,
    /// No header row names a subject column (编号, 单位名称, 姓名 …).
    NoSubjectColumn,
    /// A subject column was found, but no column names an indicator of the scheme.
    NoIndicatorColumns { subject: String },
    /// The first column holds indicator names and the first row subject names: indicators
    /// down the rows, subjects across.
    Transposed,
    /// Units down and across (a peer matrix), but no indicator named in the title, the sheet
    /// name or the file name.
    MatrixWithoutIndicator,
    /// One column per evaluator, but no indicator named in the title, sheet or file name.
    EvaluatorsWithoutIndicator,
    /// The first `rows` rows are blank: a header further down is not looked for.
    TooFarDown { rows: usize },
}

impl NoTableWhy {
    fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            NoTableWhy::Empty => if zh { "工作表是空的" } else { "the sheet is empty" }.into(),
            NoTableWhy::NoSubjectColumn => if zh {
                "没有一行表头含考核对象列（编号、单位名称、被评单位、姓名等）"
            } else {
                "no header row has a subject column (编号, 单位名称, 被评单位, 姓名 …)"
            }
            .into(),
            NoTableWhy::NoIndicatorColumns { subject } => if zh {
                format!("「{subject}」像是考核对象列，但表头中没有方案里的指标名称或代码（也没有“指标”“得分”列）")
            } else {
                format!("`{subject}` looks like the subject column, but no header names an indicator of the scheme (nor 指标 and 得分 columns)")
            },
            NoTableWhy::MatrixWithoutIndicator => if zh {
                "这是单位互评矩阵（评价单位在行、被评价单位在列），但标题、工作表名和文件名中都没有写明是哪个指标：请在标题中写上指标名称"
            } else {
                "a peer matrix (evaluating units down, rated units across), but no indicator is named in the title, sheet or file name: put the indicator's name in the title"
            }
            .into(),
            NoTableWhy::EvaluatorsWithoutIndicator => if zh {
                "每位评委一列，但标题、工作表名和文件名中都没有写明是哪个指标：请在标题或工作表名中写上指标名称"
            } else {
                "one column per evaluator, but no indicator is named in the title, sheet or file name: put the indicator's name in the title or sheet name"
            }
            .into(),
            NoTableWhy::TooFarDown { rows } => if zh {
                format!("前 {rows} 行都是空的，表头只在前 {rows} 行中寻找：请删去上面的空行，或用 --header-row 指定表头所在行")
            } else {
                format!("the first {rows} rows are blank and a header is looked for only there: delete the blank rows or pass --header-row")
            },
            NoTableWhy::Transposed => if zh {
                "第一列是指标、第一行是考核对象，像是转置的表（指标在行、单位在列）：请转置后报送，或每行一个考核对象"
            } else {
                "the first column holds indicators and a row holds subjects: a transposed table (indicators down, subjects across); transpose it"
            }
            .into(),
        }
    }
}

fn sheet_kind(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("ChartSheet", Lang::Zh) => "图表",
        ("ChartSheet", Lang::En) => "chart sheet",
        ("MacroSheet", Lang::Zh) => "宏表",
        ("MacroSheet", Lang::En) => "macro sheet",
        ("DialogSheet", Lang::Zh) => "对话框表",
        ("DialogSheet", Lang::En) => "dialog sheet",
        (_, Lang::Zh) => "非数据表",
        (_, Lang::En) => "non-data sheet",
    }
}

/// A reader's failure in a clerk's words: perf's own bilingual details ("中文 / English")
/// give their Chinese half; a library's English text is replaced by what it means.
fn damage_zh(detail: &str) -> String {
    if let Some((zh, _)) = detail.split_once(" / ") {
        return zh.to_owned();
    }
    let d = detail.to_lowercase();
    let words = if d.contains("zip") || d.contains("archive") || d.contains("eocd") {
        "压缩包结构不完整（文件可能没有传完或已损坏）"
    } else if d.contains("xml") || d.contains("utf") {
        "表格内部的数据已损坏"
    } else if d.contains("cfb") || d.contains("ole") || d.contains("sector") || d.contains("stream") {
        "老版 Excel 文件的内部结构已损坏"
    } else if d.contains("no such file") || d.contains("permission") || d.contains("denied") {
        "文件无法打开（不存在或没有读取权限）"
    } else {
        "无法解析表格内容"
    };
    words.to_owned()
}

/// "0.973" → "97.3" (the percentage reading of a fraction, for messages).
fn pct(value: &str) -> String {
    value.parse::<Decimal>().map_or_else(|_| value.to_owned(), |d| dec(d * Decimal::ONE_HUNDRED))
}

fn list(items: &[String], lang: Lang) -> String {
    items.join(if lang == Lang::Zh { "、" } else { ", " })
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

fn parts(items: &[(String, Decimal)]) -> String {
    items.iter().map(|(c, p)| format!("{c} {}", dec(*p))).collect::<Vec<_>>().join(" + ")
}

fn in_categories(categories: &[String], lang: Lang) -> String {
    match (categories.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("在类别「{}」中，", list(categories, lang)),
        (false, Lang::En) => format!(" in category {}", list(categories, lang)),
    }
}

fn suggest(s: &Option<String>, lang: Lang) -> String {
    match (s, lang) {
        (None, _) => String::new(),
        (Some(s), Lang::Zh) => format!("，是否想写 `{s}`？"),
        (Some(s), Lang::En) => format!("; did you mean `{s}`?"),
    }
}

impl Msg {
    /// The stable code of this message.
    pub fn code(&self) -> &'static str {
        match self {
            Msg::NotUtf8 { .. } => "not-utf8",
            Msg::TomlSyntax { .. } => "toml-syntax",
            Msg::UnknownKey { .. } => "unknown-key",
            Msg::UnknownValue { .. } => "unknown-value",
            Msg::MissingKey { .. } => "missing-key",
            Msg::DuplicateKey => "duplicate-key",
            Msg::InvalidValue { .. } => "invalid-value",
            Msg::OutOfRange { .. } => "out-of-range",
            Msg::NoIndicators => "no-indicators",
            Msg::EmptyCode => "empty-code",
            Msg::DuplicateCode { .. } => "duplicate-code",
            Msg::UnknownParent { .. } => "unknown-parent",
            Msg::ParentCycle { .. } => "parent-cycle",
            Msg::TrackMismatch { .. } => "track-mismatch",
            Msg::CategoryOutsideParent { .. } => "category-outside-parent",
            Msg::LeafWithoutMethod { .. } => "leaf-without-method",
            Msg::ParentWithMethod { .. } => "parent-with-method",
            Msg::MissingPoints { .. } => "missing-points",
            Msg::PointsNotAllowed { .. } => "points-not-allowed",
            Msg::MissingParameter { .. } => "missing-parameter",
            Msg::UnusedParameter { .. } => "unused-parameter",
            Msg::TargetEqualsFloor { .. } => "target-equals-floor",
            Msg::FloorWrongSide { .. } => "floor-wrong-side",
            Msg::ConflictingParameters { .. } => "conflicting-parameters",
            Msg::Bands { fault: BandFault::Unordered { .. }, .. } => "bands-unordered",
            Msg::Bands { fault: BandFault::Overlap { .. }, .. } => "bands-overlap",
            Msg::Bands { fault: BandFault::Gap { .. }, .. } => "bands-gap",
            Msg::Bands { fault: BandFault::Empty { .. }, .. } => "bands-empty",
            Msg::ChildrenPointsMismatch(_) => "children-points-mismatch",
            Msg::TotalPointsMismatch { .. } => "total-points-mismatch",
            Msg::RaterWeightsSum { .. } => "rater-weights-sum",
            Msg::IndicatorRaterWeightsSum { .. } => "indicator-rater-weights-sum",
            Msg::NoRaters { .. } => "no-raters",
            Msg::TrimUnsupported { .. } => "trim-unsupported",
            Msg::UnknownRater { .. } => "unknown-rater",
            Msg::UnknownCategory { .. } => "unknown-category",
            Msg::NoLevels => "no-grade-levels",
            Msg::DuplicateGrade { .. } => "duplicate-grade",
            Msg::GradesNotDescending { .. } => "grades-not-descending",
            Msg::UnknownGrade { .. } => "unknown-grade",
            Msg::UnknownTieBreak { .. } => "unknown-tie-break",
            Msg::AmbiguousTieBreak { .. } => "ambiguous-tie-break",
            Msg::CsvSyntax { .. } => "csv-syntax",
            Msg::LedgerMissingColumn { .. } => "ledger-missing-column",
            Msg::RosterMissingColumn { .. } => "roster-missing-column",
            Msg::RosterEmpty => "roster-empty",
            Msg::RosterDuplicateId { .. } => "roster-duplicate-id",
            Msg::RosterMissingCategory { .. } => "roster-missing-category",
            Msg::RosterUnknownCategory { .. } => "roster-unknown-category",
            Msg::RosterMissingPoolKey { .. } => "roster-missing-pool-key",
            Msg::UnreadableFile { .. } => "unreadable-file",
            Msg::MixedEncoding { .. } => "mixed-encoding",
            Msg::HtmlDisguised => "html-disguised",
            Msg::UnsupportedFile { .. } => "unsupported-file",
            Msg::SheetNotFound { .. } => "sheet-not-found",
            Msg::NoTable { .. } => "no-table",
            Msg::SheetNotATable { .. } => "sheet-skipped",
            Msg::SheetTooLarge { .. } => "sheet-too-large",
            Msg::NoData => "no-data",
            Msg::MissingPeriod => "missing-period",
            Msg::BadPeriod { .. } => "bad-period",
            Msg::PeriodKindMismatch { .. } => "period-kind-mismatch",
            Msg::MissingSubject => "missing-subject",
            Msg::UnknownSubject { .. } => "unknown-subject",
            Msg::AmbiguousSubject { .. } => "ambiguous-subject",
            Msg::UnknownIndicator { .. } => "unknown-indicator",
            Msg::AmbiguousIndicator { .. } => "ambiguous-indicator",
            Msg::UnknownColumn { .. } => "unknown-column",
            Msg::HiddenRow { .. } => "hidden-row",
            Msg::HiddenColumn { .. } => "hidden-column",
            Msg::UnsavedFormula => "unsaved-formula",
            Msg::HeaderUnitMismatch { .. } => "header-unit-mismatch",
            Msg::ScaleConverted { .. } => "scale-converted",
            Msg::AmbiguousScale { .. } => "ambiguous-scale",
            Msg::AmbiguousPercent { .. } => "ambiguous-percent",
            Msg::ScaleNotExact { .. } => "scale-not-exact",
            Msg::PeriodConflict { .. } => "period-conflict",
            Msg::SheetTotalMismatch { .. } => "sheet-total-mismatch",
            Msg::DuplicateColumn { .. } => "duplicate-column",
            Msg::SubjectNameMismatch { .. } => "subject-name-mismatch",
            Msg::TemplateVersion { .. } => "template-version",
            Msg::TemplateIndicatorRemoved { .. } => "template-indicator-removed",
            Msg::TemplateIndicatorAdded { .. } => "template-indicator-added",
            Msg::TemplateSchemeChanged => "template-scheme-changed",
            Msg::SelfRating { .. } => "self-rating",
            Msg::TooManyRows { .. } => "too-many-rows",
            Msg::LedgerDigest { .. } => "ledger-digest",
            Msg::StaleIssues { .. } => "stale-issues",
            Msg::BadMapping { .. } => "bad-mapping",
            Msg::MappingColumnMissing { .. } => "mapping-column-missing",
            Msg::NotLeaf { .. } => "not-leaf",
            Msg::RaterRequired { .. } => "rater-required",
            Msg::RaterNotAllowed { .. } => "rater-not-allowed",
            Msg::RaterNotUsed { .. } => "rater-not-used",
            Msg::NotApplicable { .. } => "not-applicable",
            Msg::ValueOutOfRange { .. } => "value-out-of-range",
            Msg::NotNumber { .. } => "not-a-number",
            Msg::NotBoolean { .. } => "not-boolean",
            Msg::ExcelError { .. } => "excel-error",
            Msg::DateValue { .. } => "date-value",
            Msg::Undecodable => "undecodable-text",
            Msg::MissingValue { .. } => "missing-value",
            Msg::DuplicateEntry { .. } => "duplicate-entry",
            Msg::LedgerConflict { .. } => "ledger-conflict",
            Msg::HeaderPointsMismatch { .. } => "header-points-mismatch",
            Msg::MissingRaterValues { .. } => "missing-rater-values",
            Msg::BelowMinCount { .. } => "below-min-count",
            Msg::MissingData { .. } => "missing-data",
            Msg::AnnualWeightsSum { .. } => "annual-weights-sum",
            Msg::UnknownQuarterGrade { .. } => "unknown-quarter-grade",
            Msg::UnknownSanction { .. } => "unknown-sanction",
            Msg::DuplicateHistoryRow { .. } => "duplicate-history-row",
            Msg::LeftRoster { .. } => "not-in-roster",
            Msg::NotInPeriodRoster { .. } => "not-in-period-roster",
            Msg::CorrectionIncomplete { .. } => "bad-correction",
            Msg::CorrectionDisplaces { .. } => "correction-displaces",
            Msg::GradeConditionInAnnualRule { .. } => "grade-condition-in-annual-rule",
            Msg::EmptyOutcome { .. } => "empty-outcome",
            Msg::DuplicateLink { .. } => "duplicate-link",
            Msg::TranchesSum { .. } => "tranches-sum",
            Msg::SmartMissing { .. } => "smart-missing",
            Msg::ProcessShare { .. } => "formalism-process-share",
            Msg::Paperwork { .. } => "formalism-paperwork",
            Msg::SpecificDominant { .. } => "formalism-specific-dominant",
        }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        macro_rules! t {
            ($zh:expr, $en:expr) => {
                if zh { $zh } else { $en }
            };
        }
        match self {
            Msg::NotUtf8 { byte } => t!(
                format!("文件不是 UTF-8 文本（第 {byte} 字节起无法识别）：方案文件须以 UTF-8 编码保存"),
                format!("the file is not UTF-8 text (undecodable from byte {byte}); save the scheme as UTF-8")
            ),
            Msg::TomlSyntax { detail } => t!(
                format!("TOML 语法错误：{detail}"),
                format!("TOML syntax error: {detail}")
            ),
            Msg::UnknownKey {
                key,
                suggestion,
                expected,
            } => {
                let tail = if suggestion.is_none() && !expected.is_empty() {
                    t!(
                        format!("；可用的键：{}", quoted(expected)),
                        format!("; expected one of {}", quoted(expected))
                    )
                } else {
                    String::new()
                };
                t!(
                    format!("未知的键 `{key}`{}{tail}", suggest(suggestion, lang)),
                    format!("unknown key `{key}`{}{tail}", suggest(suggestion, lang))
                )
            }
            Msg::UnknownValue {
                value,
                suggestion,
                expected,
            } => t!(
                format!(
                    "无效的取值 `{value}`{}；可选：{}",
                    suggest(suggestion, lang),
                    quoted(expected)
                ),
                format!(
                    "unknown value `{value}`{}; expected one of {}",
                    suggest(suggestion, lang),
                    quoted(expected)
                )
            ),
            Msg::MissingKey { key } => t!(format!("缺少必填的键 `{key}`"), format!("missing required key `{key}`")),
            Msg::DuplicateKey => t!("同一个键写了两次".into(), "duplicate key".into()),
            Msg::InvalidValue { detail } => t!(format!("取值类型不对：{detail}"), format!("invalid value: {detail}")),
            Msg::OutOfRange { key, value, expect } => t!(
                format!("`{key}` = {value} 无效：应{}", expect.text(lang)),
                format!("`{key}` = {value} is invalid: it must be {}", expect.text(lang))
            ),
            Msg::NoIndicators => t!(
                "方案没有任何指标（[[indicators]]）".into(),
                "the scheme has no indicators ([[indicators]])".into()
            ),
            Msg::EmptyCode => t!("指标代码不能为空".into(), "an indicator code cannot be empty".into()),
            Msg::DuplicateCode { code, first_line } => t!(
                format!("指标代码 {code} 重复（第 {first_line} 行已定义）"),
                format!("duplicate indicator code {code} (first defined at line {first_line})")
            ),
            Msg::UnknownParent {
                code,
                parent,
                suggestion,
            } => t!(
                format!("指标 {code} 的上级 `{parent}` 不存在{}", suggest(suggestion, lang)),
                format!(
                    "indicator {code}: parent `{parent}` does not exist{}",
                    suggest(suggestion, lang)
                )
            ),
            Msg::ParentCycle { chain } => t!(
                format!("指标的上下级关系成环：{}", chain.join(" → ")),
                format!("the parent chain is a cycle: {}", chain.join(" → "))
            ),
            Msg::TrackMismatch {
                code,
                track,
                parent,
                parent_track,
            } => t!(
                format!("指标 {code} 的轨道 {track} 与上级 {parent} 的轨道 {parent_track} 不一致"),
                format!("indicator {code} is on track {track} but its parent {parent} is on track {parent_track}")
            ),
            Msg::CategoryOutsideParent { code, category, parent } => t!(
                format!("指标 {code} 适用于类别 {category}，但其上级 {parent} 不适用于该类别"),
                format!("indicator {code} applies to category {category}, but its parent {parent} does not")
            ),
            Msg::LeafWithoutMethod { code } => t!(
                format!("末级指标 {code} 没有计分方法（method）"),
                format!("leaf indicator {code} has no scoring method (method)")
            ),
            Msg::ParentWithMethod { code } => t!(
                format!("指标 {code} 有下级指标，不能再设计分方法：其得分为下级之和"),
                format!(
                    "indicator {code} has children, so it cannot have a method: its points are the sum of its children"
                )
            ),
            Msg::MissingPoints { code } => t!(
                format!("指标 {code} 缺少分值（points）"),
                format!("indicator {code} has no points")
            ),
            Msg::PointsNotAllowed { code, method } => t!(
                format!("指标 {code} 的计分方法 {method} 不计入基础分，不能设分值（points）；请用 per_item 和 cap"),
                format!(
                    "indicator {code}: method {method} stands outside the base points and takes no points; use per_item and cap"
                )
            ),
            Msg::MissingParameter { code, method, param } => t!(
                format!("指标 {code}：计分方法 {method} 需要参数 `{param}`"),
                format!("indicator {code}: method {method} needs `{param}`")
            ),
            Msg::UnusedParameter { code, method, param } => t!(
                format!("指标 {code}：参数 `{param}` 对计分方法 {method} 不起作用"),
                format!("indicator {code}: `{param}` has no effect with method {method}")
            ),
            Msg::TargetEqualsFloor { code, value } => t!(
                format!(
                    "指标 {code}：目标值 target 与不允许值 floor 相同（{}），功效系数无法计算",
                    dec(*value)
                ),
                format!(
                    "indicator {code}: target equals floor ({}), the efficacy coefficient is undefined",
                    dec(*value)
                )
            ),
            Msg::FloorWrongSide {
                code,
                direction,
                floor,
                target,
            } => t!(
                format!(
                    "指标 {code}：方向为 {direction} 时，不允许值 floor（{}）应{}目标值 target（{}）",
                    dec(*floor),
                    if direction == "higher" { "低于" } else { "高于" },
                    dec(*target)
                ),
                format!(
                    "indicator {code}: with direction {direction}, floor ({}) must be {} target ({})",
                    dec(*floor),
                    if direction == "higher" { "below" } else { "above" },
                    dec(*target)
                )
            ),
            Msg::ConflictingParameters { code, first, second } => t!(
                format!("指标 {code}：`{first}` 与 `{second}` 不能同时设置"),
                format!("indicator {code}: `{first}` and `{second}` cannot both be set")
            ),
            Msg::Bands { code, index, fault } => {
                let n = index + 1;
                match fault {
                    BandFault::Unordered { prev_min, min } => t!(
                        format!(
                            "指标 {code}：第 {n} 档的 min（{}）应大于上一档的 min（{}），分档须按 min 从低到高排列",
                            dec(*min),
                            dec(*prev_min)
                        ),
                        format!(
                            "indicator {code}: band {n} min ({}) must be above the previous band's min ({}); list bands by ascending min",
                            dec(*min),
                            dec(*prev_min)
                        )
                    ),
                    BandFault::Overlap { max, next_min } => t!(
                        format!(
                            "指标 {code}：第 {n} 档与下一档重叠（max {} > 下一档 min {}）",
                            dec(*max),
                            dec(*next_min)
                        ),
                        format!(
                            "indicator {code}: band {n} overlaps the next (max {} > next min {})",
                            dec(*max),
                            dec(*next_min)
                        )
                    ),
                    BandFault::Gap { max, next_min } => t!(
                        format!(
                            "指标 {code}：第 {n} 档与下一档之间有空档（max {} < 下一档 min {}）",
                            dec(*max),
                            dec(*next_min)
                        ),
                        format!(
                            "indicator {code}: gap between band {n} and the next (max {} < next min {})",
                            dec(*max),
                            dec(*next_min)
                        )
                    ),
                    BandFault::Empty { min, max } => t!(
                        format!(
                            "指标 {code}：第 {n} 档的 max（{}）应大于其 min（{}）",
                            dec(*max),
                            dec(*min)
                        ),
                        format!(
                            "indicator {code}: band {n} max ({}) must be above its min ({})",
                            dec(*max),
                            dec(*min)
                        )
                    ),
                }
            }
            Msg::ChildrenPointsMismatch(m) => {
                let ChildrenMismatch { parent, name, points, sum, categories, children } = m.as_ref();
                t!(
                format!(
                    "{}指标 {parent}「{name}」为 {} 分，但其下级指标合计 {} 分（{}）",
                    in_categories(categories, lang),
                    dec(*points),
                    dec(*sum),
                    if children.is_empty() {
                        "无适用的下级指标".into()
                    } else {
                        parts(children)
                    }
                ),
                format!(
                    "indicator {parent} ({name}) has {} points but its children sum to {}{} ({})",
                    dec(*points),
                    dec(*sum),
                    in_categories(categories, lang),
                    if children.is_empty() {
                        "no child applies".into()
                    } else {
                        parts(children)
                    }
                )
            )
            }
            Msg::TotalPointsMismatch {
                total,
                sum,
                categories,
                tops,
            } => t!(
                format!(
                    "{}一级指标合计 {} 分，不等于满分 total = {}（{}）",
                    in_categories(categories, lang),
                    dec(*sum),
                    dec(*total),
                    if tops.is_empty() {
                        "无适用的一级指标".into()
                    } else {
                        parts(tops)
                    }
                ),
                format!(
                    "top-level indicators sum to {}{}, not total = {} ({})",
                    dec(*sum),
                    in_categories(categories, lang),
                    dec(*total),
                    if tops.is_empty() {
                        "no indicator applies".into()
                    } else {
                        parts(tops)
                    }
                )
            ),
            Msg::RaterWeightsSum { sum } => t!(
                format!("评价主体权重合计 {}，应为 100", dec(*sum)),
                format!("rater weights sum to {}, not 100", dec(*sum))
            ),
            Msg::IndicatorRaterWeightsSum { code, sum } => t!(
                format!("指标 {code} 的评价主体权重合计 {}，应为 100", dec(*sum)),
                format!("indicator {code}: rater weights sum to {}, not 100", dec(*sum))
            ),
            Msg::NoRaters { code } => t!(
                format!("指标 {code} 用 rating 计分，但方案没有定义评价主体（[raters]）"),
                format!("indicator {code} uses rating but the scheme defines no raters ([raters])")
            ),
            Msg::TrimUnsupported { rater, trim, min_count } => t!(
                format!(
                    "评价主体 {rater}：两端各去掉 {trim} 个评价人后，最少人数 min_count = {min_count} 不够（至少应为 {}）",
                    2 * trim + 1
                ),
                format!(
                    "rater {rater}: trimming {trim} at each end needs min_count of at least {}, not {min_count}",
                    2 * trim + 1
                )
            ),
            Msg::UnknownRater { rater, suggestion } => t!(
                format!("未定义的评价主体 `{rater}`{}", suggest(suggestion, lang)),
                format!("undefined rater `{rater}`{}", suggest(suggestion, lang))
            ),
            Msg::UnknownCategory { category, suggestion } => t!(
                format!("未定义的类别 `{category}`{}", suggest(suggestion, lang)),
                format!("undefined category `{category}`{}", suggest(suggestion, lang))
            ),
            Msg::NoLevels => t!(
                "[grades] 没有任何等次（levels）".into(),
                "[grades] has no levels".into()
            ),
            Msg::DuplicateGrade { name } => t!(format!("等次 {name} 重复"), format!("duplicate grade {name}")),
            Msg::GradesNotDescending {
                name,
                min,
                prev,
                prev_min,
            } => t!(
                format!(
                    "等次须按 min 从高到低排列：{name} 的 min（{}）应低于 {prev} 的 min（{}）",
                    dec(*min),
                    dec(*prev_min)
                ),
                format!(
                    "levels must be strictly descending by min: {name} ({}) must be below {prev} ({})",
                    dec(*min),
                    dec(*prev_min)
                )
            ),
            Msg::UnknownGrade { grade, suggestion } => t!(
                format!("未定义的等次 `{grade}`{}", suggest(suggestion, lang)),
                format!("undefined grade `{grade}`{}", suggest(suggestion, lang))
            ),
            Msg::UnknownTieBreak { token, suggestion } => t!(
                format!(
                    "tie_break 中的 `{token}` 既不是指标代码、评价主体，也不是轨道（common/specific）{}",
                    suggest(suggestion, lang)
                ),
                format!(
                    "tie_break `{token}` is neither an indicator code, a rater nor a track (common/specific){}",
                    suggest(suggestion, lang)
                )
            ),
            Msg::AmbiguousTieBreak { token } => t!(
                format!("tie_break 中的 `{token}` 有歧义：它同时是指标代码、评价主体或轨道中的两种"),
                format!("tie_break `{token}` is ambiguous: it names more than one of indicator, rater, track")
            ),
            Msg::LedgerMissingColumn { column, found } => t!(
                format!("台账缺少列「{column}」；表头为：{}（台账的表头应为 period,subject,indicator,rater,evaluator,value,source）", list(found, lang)),
                format!("the ledger has no column `{column}`; its header is: {} (expected period,subject,indicator,rater,evaluator,value,source)", list(found, lang))
            ),
            Msg::CsvSyntax { detail } => {
                // perf's own details are "中文 / English"; the csv crate's are English only.
                let (zh_part, en_part) = detail.split_once(" / ").unwrap_or((detail, detail));
                t!(format!("CSV 格式错误：{zh_part}"), format!("CSV error: {en_part}"))
            }
            Msg::RosterMissingColumn { column, found } => t!(
                format!("名册缺少列「{column}」；表头为：{}", list(found, lang)),
                format!(
                    "the roster has no column `{column}`; its header is: {}",
                    list(found, lang)
                )
            ),
            Msg::RosterEmpty => t!("名册没有数据行".into(), "the roster has no data rows".into()),
            Msg::RosterDuplicateId { id, first_line } => t!(
                format!("名册编号 {id} 重复（第 {first_line} 行已有）"),
                format!("duplicate roster id {id} (first at line {first_line})")
            ),
            Msg::RosterMissingCategory { id } => t!(
                format!("考核对象 {id} 没有填写类别，方案按类别考核"),
                format!("subject {id} has no category, but the scheme assesses by category")
            ),
            Msg::RosterUnknownCategory {
                id,
                category,
                suggestion,
            } => t!(
                format!(
                    "考核对象 {id} 的类别 `{category}` 在方案中没有定义{}",
                    suggest(suggestion, lang)
                ),
                format!(
                    "subject {id}: category `{category}` is not defined in the scheme{}",
                    suggest(suggestion, lang)
                )
            ),
            Msg::RosterMissingPoolKey { id, key } => {
                let (zh_key, zh_column) = match *key {
                    "unit" => ("所在单位", "所在单位"),
                    "level" => ("职级", "职级"),
                    _ => ("类别", "类别"),
                };
                t!(
                    format!(
                        "考核对象 {id} 没有填写{zh_key}，而方案的名额范围（[grades] scope）按{zh_key}分别计算名额；请在名册的「{zh_column}」列填写，或修改 scope"
                    ),
                    format!(
                        "subject {id} has no {key}, but the quota scope ([grades] scope) counts places per {key}; fill in the roster's {key} column or change scope"
                    )
                )
            }
            Msg::UnreadableFile { detail } => t!(
                format!("文件已损坏或格式不受支持：{}。请在 Excel/WPS 中打开并另存为 .xlsx 后重新报送", damage_zh(detail)),
                format!(
                    "the file is damaged or not a supported format: {}",
                    detail.split_once(" / ").map_or(detail.as_str(), |(_, en)| en)
                )
            ),
            Msg::MixedEncoding { first_gbk_line } => t!(
                format!("文件混用了 UTF-8 和 GBK 编码（第 {first_gbk_line} 行起有 GBK 行），已逐行按各自编码读取；请核对并统一另存为 UTF-8"),
                format!("the file mixes UTF-8 and GBK lines (GBK from line {first_gbk_line}); each line was read in its own encoding")
            ),
            Msg::HtmlDisguised => t!(
                "这是改了扩展名的网页（HTML）文件，不是真正的 Excel 文件：请在 WPS/Excel 中打开并另存为 .xlsx".into(),
                "this is an HTML page with a spreadsheet name, not a real Excel file: open it in WPS/Excel and save as .xlsx".into()
            ),
            Msg::UnsupportedFile { kind } => kind.text(lang),
            Msg::SheetNotFound { sheet, available } => t!(
                format!("找不到工作表「{sheet}」；现有：{}", list(available, lang)),
                format!("no sheet `{sheet}`; the workbook has: {}", list(available, lang))
            ),
            Msg::NoTable { saw, why } => {
                let seen = if saw.is_empty() {
                    String::new()
                } else {
                    t!(format!("看到的列：{}", list(saw, lang)), format!("columns seen: {}", list(saw, lang)))
                };
                let seen = if seen.is_empty() { seen } else { t!(format!("。{seen}"), format!(". {seen}")) };
                t!(
                    format!("没有找到评分表：{}{seen}", why.text(lang)),
                    format!("no score table found: {}{seen}", why.text(lang))
                )
            }
            Msg::SheetNotATable { kind } => t!(
                format!("这个工作表是{}，不是数据表，已跳过；其他工作表照常读取", sheet_kind(kind, lang)),
                format!("this sheet is a {}, not a data sheet: skipped; the other sheets are read", sheet_kind(kind, lang))
            ),
            Msg::SheetTooLarge { rows, cols, values, far, limit, by_book: false } => {
                let far = list(far, lang);
                t!(
                format!(
                    "这个工作表的 {values} 个值分布在 {rows} 行 × {cols} 列的范围内（最远的在 {far}），超过一次能读取的 {limit} 个单元格，没有读取；其他工作表照常读取。请删除远处多余的单元格（{far}），或把评分表复制到新工作表、另存为 .xlsx 或 CSV 后重新导入"
                ),
                format!(
                    "this sheet's {values} values spread over {rows} rows x {cols} columns (the farthest at {far}), more than the {limit} cells perf lays out at once: not read; the other sheets are read. Delete the stray cells far away ({far}), or copy the score table to a new sheet or save it as .xlsx or CSV, and import again"
                )
            )
            }
            Msg::SheetTooLarge { rows, cols, limit, by_book: true, .. } => t!(
                format!(
                    "这个工作表（{rows} 行 × {cols} 列）和前面的工作表合计超过一个工作簿一次能读取的 {limit} 个单元格，没有读取。请把它另存为单独的文件后重新导入"
                ),
                format!(
                    "this sheet ({rows} rows x {cols} columns) and the sheets before it exceed the {limit} cells perf reads from one workbook: not read. Save it as a file of its own and import that"
                )
            ),
            Msg::NoData => t!("评分表只有表头，没有数据".into(), "the score table has a header but no data".into()),
            Msg::MissingPeriod => t!(
                "不知道这些数据属于哪个考核期：请加考核期列、在文件名或工作表名中写明（如 2026Q1、2026年第一季度），或用 --period 指定".into(),
                "the period of these values is unknown: add a period column, put it in the file or sheet name (2026Q1), or pass --period".into()
            ),
            Msg::BadPeriod { text } => t!(format!("无法识别的考核期「{text}」"), format!("unrecognised period `{text}`")),
            Msg::PeriodKindMismatch { period, expected } => t!(
                format!("考核期 {period} 与方案的考核周期（{expected}）不一致"),
                format!("period {period} does not match the scheme's period ({expected})")
            ),
            Msg::MissingSubject => t!(
                "这一行没有考核对象（编号或名称为空）".into(),
                "this row has no subject (id or name is empty)".into()
            ),
            Msg::UnknownSubject { text, suggestion } => t!(
                format!("名册中没有考核对象「{text}」{}", suggest(suggestion, lang)),
                format!("`{text}` is not in the roster{}", suggest(suggestion, lang))
            ),
            Msg::AmbiguousSubject { text, ids } => t!(
                format!("「{text}」在名册中对应多个对象（{}），请改用编号", list(ids, lang)),
                format!("`{text}` matches several roster entries ({}); use the id", list(ids, lang))
            ),
            Msg::UnknownIndicator { text, suggestion } => t!(
                format!("方案中没有指标「{text}」{}", suggest(suggestion, lang)),
                format!("no indicator `{text}` in the scheme{}", suggest(suggestion, lang))
            ),
            Msg::AmbiguousIndicator { text, codes } => t!(
                format!("「{text}」对应多个指标（{}），请改用指标代码", list(codes, lang)),
                format!("`{text}` names several indicators ({}); use the code", list(codes, lang))
            ),
            Msg::UnknownColumn { header, suggestion, hint, cells } => match suggestion {
                Some(s) => t!(
                    format!("列「{header}」像是指标「{s}」，但名称对不上，该列 {cells} 个值未导入：请把表头改成方案中的指标名称或代码"),
                    format!("column `{header}` looks like indicator `{s}` but does not match it; its {cells} values were not imported: use the scheme's indicator name or code")
                ),
                None => t!(
                    format!("不认识的列「{header}」，该列 {cells} 个值未导入{}", suggest(hint, lang)),
                    format!("unknown column `{header}`: its {cells} values were not imported{}", suggest(hint, lang))
                ),
            },
            Msg::HiddenRow { cells } => t!(
                format!("这是隐藏行，其中 {cells} 个单元格有内容，未读取；确需读取请取消隐藏或加 --include-hidden"),
                format!("this row is hidden: its {cells} filled cells were not read; unhide it or pass --include-hidden")
            ),
            Msg::HiddenColumn { header, cells } => t!(
                format!("列「{header}」是隐藏列，其中 {cells} 个单元格有内容，未读取；确需读取请取消隐藏或加 --include-hidden"),
                format!("column `{header}` is hidden: its {cells} filled cells were not read; unhide it or pass --include-hidden")
            ),
            Msg::UnsavedFormula => t!(
                "公式没有保存的计算结果，请在 Excel/WPS 中打开并保存".into(),
                "the formula has no saved result: open the file in Excel/WPS and save it".into()
            ),
            Msg::HeaderUnitMismatch { code, header_unit, unit } => t!(
                format!("表头的单位是「{header_unit}」，方案中指标 {code} 的单位是「{unit}」：该列未导入，请核对数值的单位"),
                format!("the header's unit is `{header_unit}` but indicator {code} is measured in `{unit}`: column not imported; check the values' unit")
            ),
            Msg::ScaleConverted { code, out_of, full } => t!(
                format!("表头写明满分 {} 分，该列各值都不超过 {}：按 {} 分制读取并换算为 {} 分制（值 × {} ÷ {}）", dec(*out_of), dec(*out_of), dec(*out_of), dec(*full), dec(*full), dec(*out_of)),
                format!("the header says out of {}, and no value exceeds it: values read as out of {} and converted to the {}-point scale (value × {} ÷ {}) for {code}", dec(*out_of), dec(*out_of), dec(*full), dec(*full), dec(*out_of))
            ),
            Msg::AmbiguousScale { code, value, out_of, full } => t!(
                format!("指标 {code} 的值 {value} 说不清是 {} 分制（表头写明）还是 {} 分制（同列其他值大于 {}）：请统一该列的分制后重新报送", dec(*out_of), dec(*full), dec(*out_of)),
                format!("indicator {code}: value {value} may be out of {} (as the header says) or out of {} (other values in the column exceed {}): use one scale in the column", dec(*out_of), dec(*full), dec(*out_of))
            ),
            Msg::AmbiguousPercent { code, value } => t!(
                format!("指标 {code} 以 % 计，而这张表中它的值都不超过 1：{value} 可能是 {value}%，也可能是 {}%。请写成百分数（如 97.3 或 97.3%）后重新报送", pct(value)),
                format!("indicator {code} is measured in %, and none of its values in this sheet exceeds 1: {value} may mean {value}% or {}%; write percentages (97.3 or 97.3%)", pct(value))
            ),
            Msg::ScaleNotExact { code, value, out_of, full } => t!(
                format!("指标 {code} 的值 {value} 按 {} 分制换算为 {} 分制不能除尽，无法精确换算：请按 {} 分制填写", dec(*out_of), dec(*full), dec(*full)),
                format!("indicator {code}: {value} out of {} does not convert exactly to the {}-point scale; enter it out of {}", dec(*out_of), dec(*full), dec(*full))
            ),
            Msg::PeriodConflict { found, place, expected, from } => t!(
                format!("{}写的考核期是 {found}，{}是 {expected}：请核对；确认后用 --period 指定", place.text(lang), from.text(lang)),
                format!("the {} says period {found} but the {} says {expected}: check, then pass --period", place.text(lang), from.text(lang))
            ),
            Msg::SheetTotalMismatch { total, sum } => t!(
                format!("表中的合计 {} 与这一行各项之和 {} 不同（表格公式或手工计算有误？）", dec(*total), dec(*sum)),
                format!("the sheet's total {} differs from the sum of the row's values, {}", dec(*total), dec(*sum))
            ),
            Msg::BadMapping { n, detail } => t!(
                format!("perf.toml 的第 {n} 个 [[mapping]] 有误：{detail}（指标代码、评价主体和考核期须是方案中有的；长表须同时写 indicator 和 value，宽表须写 columns）"),
                format!("[[mapping]] number {n} in perf.toml is wrong: {detail} (codes, raters and periods must exist in the scheme; long tables need indicator and value, wide tables columns)")
            ),
            Msg::MappingColumnMissing { header } => t!(
                format!("perf.toml 的 [[mapping]] 写的列「{header}」在这个表的表头中找不到：请核对表头或映射"),
                format!("the column `{header}` that perf.toml's [[mapping]] names is not in this sheet's header")
            ),
            Msg::LedgerDigest { ledger, sha256 } => t!(
                format!("本问题清单属于台账 {ledger}（SHA-256 {sha256}），两者由同一次导入写出"),
                format!("this issues list belongs to the ledger {ledger} (SHA-256 {sha256}), written by the same import")
            ),
            Msg::StaleIssues { issues } => t!(
                format!("旁边的问题清单 {issues} 不是这份台账的（上次导入可能在写完台账后中断）：请重新运行 perf import"),
                format!("the issues list {issues} beside it does not belong to this ledger (an import interrupted after the ledger?): run perf import again")
            ),
            Msg::TooManyRows { limit } => t!(
                format!("宽表超过 {limit} 行，未导入：这么多行请改用长表（一行一个值），长表的长度不受限制"),
                format!("the wide table has more than {limit} rows and was not imported: use a long table (one value per row), which has no limit")
            ),
            Msg::SelfRating { subject } => t!(
                format!("{subject} 给本单位打了分：互评中本单位不评，该值未导入"),
                format!("{subject} rated itself: units do not rate themselves in peer ratings; not imported")
            ),
            Msg::TemplateVersion { found } => t!(
                format!("这是第 {found} 版的录入模板，本 perf 只认第 1 版：请用新版 perf 导入，或重新生成模板"),
                format!("this is a version {found} entry template; this perf knows version 1: import with a newer perf or make the template again")
            ),
            Msg::TemplateIndicatorRemoved { code } => t!(
                format!("模板中有指标 {code}，现在的方案没有它（或这个评价主体不再评它）：模板是按旧方案生成的，请核对后按现在的方案重新生成"),
                format!("the template has indicator {code}, which today's scheme no longer has (or this rater no longer scores): it was made from an older scheme; make it again")
            ),
            Msg::TemplateIndicatorAdded { code } => t!(
                format!("现在的方案要求填写指标 {code}，模板中没有：模板是按旧方案生成的，请按现在的方案重新生成并补填"),
                format!("today's scheme asks for indicator {code}, which the template lacks: it was made from an older scheme; make it again and fill that in")
            ),
            Msg::TemplateSchemeChanged => t!(
                "生成模板之后方案改过（分值、计分方法或取值范围）：各值按现在的方案读取，请确认填写时的口径没有变".to_owned(),
                "the scheme changed after the template was made (points, method or range): values are read under today's scheme; check the entries still mean the same".to_owned()
            ),
            Msg::SubjectNameMismatch { id, expected, found } => t!(
                format!("编号 {id} 在名册中是「{expected}」，这一行的名称却是「{found}」：这一行的分数不知道属于谁，未导入；请核对这一行"),
                format!("id {id} is `{expected}` in the roster but this row's name is `{found}`: whose scores these are is unclear, not imported; check the row")
            ),
            Msg::DuplicateColumn { header, first } => t!(
                format!("表头中有两列「{header}」（另一列在 {first} 列），不知道该用哪一列：请删去或改名其中一列"),
                format!("the header has two `{header}` columns (the other is column {first}): remove or rename one")
            ),
            Msg::NotLeaf { code } => t!(
                format!("指标 {code} 有下级指标，其得分由下级计算，不能直接录入"),
                format!("indicator {code} has children; its points are computed, not entered")
            ),
            Msg::RaterRequired { code } => t!(
                format!("指标 {code} 是评价打分，须注明评价主体"),
                format!("indicator {code} is a rating: its rater is needed")
            ),
            Msg::RaterNotAllowed { code, rater } => t!(
                format!("指标 {code} 是数据指标，不应有评价主体「{rater}」（留空或写 data）"),
                format!("indicator {code} is data-driven and takes no rater (`{rater}` given; leave empty or write data)")
            ),
            Msg::RaterNotUsed { code, rater } => t!(
                format!("指标 {code} 不由评价主体 {rater} 评价"),
                format!("indicator {code} is not rated by {rater}")
            ),
            Msg::NotApplicable { code, subject, category } => t!(
                format!("指标 {code} 不适用于 {subject} 所在的类别「{category}」"),
                format!("indicator {code} does not apply to {subject}'s category {category}")
            ),
            Msg::ValueOutOfRange { code, value, min, max } => {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("{}–{}", dec(*a), dec(*b)),
                    (Some(a), None) => format!("≥ {}", dec(*a)),
                    (None, Some(b)) => format!("≤ {}", dec(*b)),
                    (None, None) => String::new(),
                };
                t!(
                    format!("指标 {code} 的值 {value} 超出允许范围（{range}）"),
                    format!("indicator {code}: value {value} is outside {range}")
                )
            }
            Msg::NotNumber { code, value } => t!(
                format!("指标 {code} 的值「{value}」不是数字"),
                format!("indicator {code}: `{value}` is not a number")
            ),
            Msg::NotBoolean { code, value } => t!(
                format!("指标 {code} 的值「{value}」不是 是/否"),
                format!("indicator {code}: `{value}` is not yes/no")
            ),
            Msg::ExcelError { value } => t!(
                format!("单元格是 Excel 错误值 {value}（公式出错），请修正后重新报送"),
                format!("the cell holds the Excel error {value} (a broken formula)")
            ),
            Msg::DateValue { value } => t!(
                format!("这里应是数字，单元格却是日期 {value}"),
                format!("a number is expected but the cell is a date ({value})")
            ),
            Msg::Undecodable => t!(
                "单元格含有无法识别的字节（文件混用了 GBK 和 UTF-8 编码？），请用 --encoding 指定或重新另存".into(),
                "the cell holds bytes invalid in the file's encoding (mixed GBK and UTF-8?); use --encoding or save again".into()
            ),
            Msg::MissingValue { code, subject } => t!(
                format!("{subject} 的指标 {code} 没有值（空白或“—”，不按 0 分计）"),
                format!("{subject}: no value for {code} (blank or a dash, not counted as zero)")
            ),
            Msg::DuplicateEntry { first } => t!(
                format!("与 {first} 重复（同一考核期、对象、指标、评价主体和评价人），本条未导入"),
                format!("duplicates {first} (same period, subject, indicator, rater and evaluator); not imported")
            ),
            Msg::LedgerConflict { first } => t!(
                format!("台账中已有这条记录（{first}）；要替换请加 --replace"),
                format!("the ledger already holds this entry ({first}); use --replace to replace it")
            ),
            Msg::HeaderPointsMismatch { code, header, points } => t!(
                format!("表头写的是 {} 分，方案中指标 {code} 为 {} 分", dec(*header), dec(*points)),
                format!("the header says {} points but indicator {code} has {} in the scheme", dec(*header), dec(*points))
            ),
            Msg::MissingRaterValues { period, subject, code, rater } => t!(
                format!("{period}：{subject} 的指标 {code} 没有评价主体 {rater} 的评分"),
                format!("{period}: {subject} has no {rater} ratings for {code}")
            ),
            Msg::BelowMinCount { period, subject, code, rater, count, min } => t!(
                format!("{period}：{subject} 的指标 {code} 只有 {count} 个 {rater} 评价人，少于最少人数 {min}"),
                format!("{period}: {subject} has {count} {rater} evaluators for {code}, fewer than {min}")
            ),
            Msg::MissingData { period, subject, code } => t!(
                format!("{period}：{subject} 的指标 {code} 没有数据"),
                format!("{period}: {subject} has no value for {code}")
            ),
            Msg::AnnualWeightsSum { sum } => t!(
                format!("quarter_weight 与 year_end_weight 合计 {}，应为 100", dec(*sum)),
                format!("quarter_weight and year_end_weight sum to {}, not 100", dec(*sum))
            ),
            Msg::UnknownSanction { word, suggestion } => t!(
                format!(
                    "处分用词「{word}」不在年度方案的处分清单（[annual] sanctions 与规则中的用词）里：请改用清单中的写法，或在 sanctions / sanction_aliases 中加上它{}",
                    suggest(suggestion, lang)
                ),
                format!(
                    "sanction `{word}` is not in the annual scheme's list ([annual] sanctions and the words of the rules): use a listed word, or add it to sanctions / sanction_aliases{}",
                    suggest(suggestion, lang)
                )
            ),
            Msg::CorrectionIncomplete { what } => t!(
                format!("这一行复核记录不完整：{what}。每条复核都要写明对象、考核期、改什么（指标和值，或等次）、理由、批准人和日期"),
                format!("this correction is incomplete: {what}. Each needs the subject, the period, what changes (an indicator and its value, or a grade), the reason, who approved it and the date")
            ),
            Msg::CorrectionDisplaces { ids } => t!(
                format!(
                    "复核改变了名额线：{} 的等次因此会下降。没有自动挤掉他人——请用 --decide 裁定后再运行",
                    list(ids, lang)
                ),
                format!(
                    "a correction moves the quota line: {} would drop a grade. Nobody is displaced silently: decide with --decide and run again",
                    list(ids, lang)
                )
            ),
            Msg::NotInPeriodRoster { id, period } => t!(
                format!("{id} 有 {period} 的数据，但按人员变动记录，{period} 时不在名册中（还没入职或已经离开）：这些数据没有计分。请核对数据或变动日期"),
                format!("{id} has data for {period} but, by the roster events, was not in the roster then (not yet joined or already left): not scored. Check the data or the event's date")
            ),
            Msg::LeftRoster { id, periods } => t!(
                format!(
                    "{id} 有本年度的季度结果（{}），但不在名册中：没有计算年度结果。调出、退休的人员请在名册中保留到年底，或确认后忽略",
                    list(periods, lang)
                ),
                format!(
                    "{id} has quarterly results this year ({}) but is not in the roster: no annual result. Keep people who left in the roster until the year ends, or confirm and ignore this",
                    list(periods, lang)
                )
            ),
            Msg::DuplicateHistoryRow { year, subject, first_line } => t!(
                format!("历史文件中 {subject} 的 {year} 年已在第 {first_line} 行出现过：每人每年只能有一行"),
                format!("{subject} {year} is already on line {first_line} of the history file: one row per person and year")
            ),
            Msg::UnknownQuarterGrade { grade, expected } => t!(
                format!("季度等次 `{grade}` 不在 quarter_grades（{}）中", list(expected, lang)),
                format!("quarterly grade `{grade}` is not in quarter_grades ({})", list(expected, lang))
            ),
            Msg::GradeConditionInAnnualRule { id } => t!(
                format!("规则 {id}：annual 类规则决定年度等次，条件中不能再用年度等次（grade）"),
                format!("rule {id}: an annual rule decides the grade, so its condition cannot use the grade")
            ),
            Msg::EmptyOutcome { id } => t!(format!("规则 {id} 没有任何结果（then）"), format!("rule {id} has no outcome (then)")),
            Msg::DuplicateLink { id } => t!(format!("规则 id {id} 重复"), format!("duplicate rule id {id}")),
            Msg::TranchesSum { sum } => t!(
                format!("分期比例 tranches 合计 {}，应为 1", dec(*sum)),
                format!("tranches sum to {}, not 1", dec(*sum))
            ),
            Msg::SmartMissing { code, missing } => t!(
                format!("指标 {code} 不符合 SMART 原则：缺少 {missing}"),
                format!("indicator {code} is not SMART: {missing} missing")
            ),
            Msg::ProcessShare {
                category,
                points,
                total,
            } => t!(
                format!(
                    "形式主义风险：在类别「{category}」中，过程类（process）指标占 {} 分，超过满分 {} 的 20%（不得简单以留痕多少评判工作）",
                    dec(*points),
                    dec(*total)
                ),
                format!(
                    "formalism risk: in category {category}, process indicators carry {} points, more than 20% of {}",
                    dec(*points),
                    dec(*total)
                )
            ),
            Msg::Paperwork { code, word } => t!(
                format!("形式主义风险：指标 {code} 的计量口径以「{word}」计数（不得简单以留痕多少评判工作）"),
                format!("formalism risk: indicator {code} measures paperwork (“{word}”)")
            ),
            Msg::SpecificDominant {
                code,
                category,
                points,
                track_points,
            } => t!(
                format!(
                    "指标 {code} 为 {} 分，在类别「{category}」中超过个性指标合计 {} 分的一半",
                    dec(*points),
                    dec(*track_points)
                ),
                format!(
                    "indicator {code} carries {} points, more than half of the specific track ({}) in category {category}",
                    dec(*points),
                    dec(*track_points)
                )
            ),
        }
    }
}
