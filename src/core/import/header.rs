//! Finding the score table in a sheet: which row is the header (skipping title rows, reading
//! two-row headers with merged group cells), whether the table is long (one value per row) or
//! wide (one column per indicator), and what each column is.

use crate::core::import::cell::fold_width;
use crate::core::scheme::{Scheme, SubjectKind};
use crate::core::suggest::closest;
use regex::Regex;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

/// How far down a sheet the header is looked for.
pub const HEADER_SEARCH_ROWS: usize = 100;

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static POINTS_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)[(（\[【]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）\]】]$").expect("valid regex"));

/// A header cell without width variants, spaces or line breaks.
pub fn normalize_header(s: &str) -> String {
    fold_width(s).chars().filter(|c| !c.is_whitespace()).collect()
}

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:第?\d{1,3}题?[、.:)）]|[(（]\d{1,3}[)）]|[Qq]\d{1,3}[、.:)）]?",
        r"|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十]{1,3}[)）])",
        r"(.+?)[:?？]*$"
    ))
    .expect("valid regex")
});

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static OUTLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\.\d{1,2})+[、.]?(\D.*?)[:?？]*$").expect("valid regex"));

/// A survey question as a header: "2、服务对象满意度：" → "服务对象满意度" (the number in front
/// and the colon or question mark behind dropped).
fn strip_question(h: &str) -> &str {
    match OUTLINE.captures(h).or_else(|| QUESTION.captures(h)).and_then(|c| c.get(1)) {
        Some(m) => m.as_str(),
        None => h.trim_end_matches([':', '?', '？']),
    }
}

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static BRACKET_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)[(（\[【]([^()（）\[\]【】]*)[)）\]】]$").expect("valid regex"));

/// Units clerks put in brackets after a header ("(个)", "（万元）").
const UNITS: &[&str] = &[
    "%",
    "个",
    "次",
    "项",
    "件",
    "人",
    "户",
    "家",
    "天",
    "日",
    "元",
    "万元",
    "亿元",
    "万",
    "分",
    "是/否",
    "条",
    "起",
    "所",
    "处",
    "km",
    "公里",
    "吨",
    "亩",
    "平方米",
    "小时",
    "‰",
];

/// A header cell taken apart: "项目落地数(个)" → name 项目落地数, unit 个;
/// "党建工作（10分）" → name 党建工作, points 10; "按时办结率%" → unit %.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderParts {
    pub name: String,
    /// The "(N分)" of the header: how many points the sender wrote the column out of.
    pub points: Option<Decimal>,
    /// The unit the header declares ("%", "个", "万元" …).
    pub unit: Option<String>,
}

/// Take a header cell apart into name, points and unit; suffixes may be stacked
/// ("完成率(%)(10分)") and written with full-width brackets.
pub fn split_header(header: &str) -> HeaderParts {
    let mut h = strip_question(&normalize_header(header)).to_owned();
    let mut parts = HeaderParts::default();
    loop {
        if let Some(c) = POINTS_SUFFIX.captures(&h) {
            parts.points = parts.points.or_else(|| Decimal::from_str(&c[2]).ok());
            h = c[1].to_owned();
            continue;
        }
        if let Some(c) = BRACKET_SUFFIX.captures(&h) {
            let inner = c[2].trim();
            let unit = inner
                .strip_prefix("单位:")
                .or_else(|| inner.strip_prefix("单位"))
                .map(|u| u.trim_start_matches(':'))
                .unwrap_or(inner);
            if UNITS.contains(&unit) {
                parts.unit.get_or_insert_with(|| unit.to_owned());
                h = c[1].to_owned();
                continue;
            }
        }
        if h.chars().count() > 1
            && let Some(rest) = h.strip_suffix('%')
        {
            parts.unit.get_or_insert_with(|| "%".to_owned());
            h = rest.to_owned();
            continue;
        }
        break;
    }
    parts.name = h;
    parts
}

/// Split "党建工作(10分)" into ("党建工作", Some(10)); units are dropped.
pub fn split_points(header: &str) -> (String, Option<Decimal>) {
    let p = split_header(header);
    (p.name, p.points)
}

/// Whether a header is one of `aliases`, also behind a question number and with a unit or
/// points after it ("完成值(%)", "得分（分）", "1、单位名称：").
fn is_any(h: &str, aliases: &[&str]) -> bool {
    let plain = strip_question(h).to_lowercase();
    aliases.contains(&plain.as_str()) || aliases.contains(&split_header(h).name.to_lowercase().as_str())
}

const ID: &[&str] =
    &["编号", "代码", "单位代码", "单位编号", "对象编号", "工号", "人员编号", "id", "code", "subject", "subject_id"];
const UNIT_NAME: &[&str] = &[
    "名称",
    "单位名称",
    "单位",
    "考核对象",
    "对象",
    "被考核单位",
    "被评价单位",
    "被评单位",
    "被考评单位",
    "被测评单位",
    "评价对象",
    "被评对象",
    "测评对象",
    "评议对象",
    "参评单位",
    "考核单位",
    "责任单位",
    "部门",
    "部门名称",
    "单位(部门)",
    "name",
];
const PERSON_NAME: &[&str] =
    &["姓名", "考核对象", "对象", "被考核人", "被评价人", "被评人", "被考评人", "评价对象", "被评对象", "name"];
const PERIOD: &[&str] = &["考核期", "周期", "期间", "考核周期", "考核期间", "考核时段", "period"];
const INDICATOR: &[&str] = &[
    "指标",
    "指标代码",
    "指标名称",
    "考核指标",
    "评价指标",
    "考核项目",
    "评价项目",
    "考核内容",
    "指标编号",
    "indicator",
];
const RATER: &[&str] = &["评价主体", "主体", "评价类型", "rater"];
const EVALUATOR: &[&str] = &[
    "评价人",
    "评分人",
    "打分人",
    "评议人",
    "评委",
    "评价单位",
    "打分单位",
    "评分单位",
    "测评单位",
    "评议单位",
    "evaluator",
];
/// The lower header over a value under an indicator's group cell (目标值 | 完成值).
const TARGET: &[&str] = &["目标值", "目标", "计划值", "计划", "任务数", "目标任务", "基数", "target"];
/// Columns that identify one respondent of a survey export (one row per response).
const RESPONSE: &[&str] =
    &["问卷编号", "答卷编号", "问卷序号", "答卷序号", "问卷id", "答卷id", "序列号", "respondent", "response"];
const VALUE: &[&str] = &["得分", "分值", "数值", "完成值", "分数", "评分", "值", "实际值", "value", "score"];
const IGNORED: &[&str] = &[
    "序号",
    "类别",
    "分类",
    "考核类别",
    "备注",
    "说明",
    "排名",
    "名次",
    "所在单位",
    "职级",
    "职务",
    "等次",
    "等级",
    "no",
    "no.",
];
/// What survey systems add to each response besides the answers: not data.
const SURVEY_META: &[&str] = &[
    "来源",
    "来源详情",
    "来自ip",
    "ip",
    "ip地址",
    "所用时间",
    "答题时长",
    "开始时间",
    "结束时间",
    "开始答题时间",
    "结束答题时间",
    "提交时间",
    "提交答卷时间",
    "答题时间",
    "填写时间",
    "填写设备",
    "设备",
    "操作系统",
    "浏览器",
    "微信昵称",
    "昵称",
    "用户名",
];
const TOTAL: &[&str] = &["总分", "合计", "总计", "得分合计", "合计得分", "总得分", "total"];
const FOOTER: &[&str] = &[
    "制表人",
    "制表",
    "审核人",
    "审核",
    "填表日期",
    "填表人",
    "填报人",
    "负责人",
    "日期",
    "合计",
    "总计",
    "平均",
    "备注",
    "说明",
    "注:",
    "注：",
];

/// Whether a data row is a footer (制表人, 审核人, 填表日期, 合计 …): skipped, not data.
pub fn is_footer<S: AsRef<str>>(cells: &[S]) -> bool {
    // Every footer word begins with a CJK character and width folding leaves ASCII as it is:
    // a row whose first non-blank cell is ASCII (an id, a period, a number) is no footer —
    // decided without building the normalized text of every row.
    if cells.iter().map(AsRef::as_ref).find(|c| !c.chars().all(char::is_whitespace)).is_none_or(str::is_ascii) {
        return false;
    }
    cells
        .iter()
        .map(|c| normalize_header(c.as_ref()))
        .find(|c| !c.is_empty())
        .is_some_and(|first| FOOTER.iter().any(|f| first.starts_with(f)) && !first.chars().all(|c| c.is_ascii_digit()))
}

/// Lookups from header text to indicators.
#[derive(Debug)]
pub struct IndicatorIndex {
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    names: Vec<String>,
}

impl IndicatorIndex {
    pub fn new(scheme: &Scheme) -> Self {
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut names = Vec::new();
        for (i, ind) in scheme.indicators.iter().enumerate() {
            by_code.insert(normalize_header(&ind.code).to_lowercase(), i);
            by_name.entry(split_header(&ind.name).name).or_default().push(i);
            names.push(ind.code.clone());
            names.push(ind.name.clone());
        }
        IndicatorIndex { by_code, by_name, names }
    }

    /// The indicator a header (or a long-layout cell) names, by code or name; `parent_hint`
    /// (the group cell above a two-row header) settles names used under several parents.
    pub fn find(&self, scheme: &Scheme, text: &str, parent_hint: Option<&str>) -> Lookup {
        let (h, _) = split_points(text);
        if h.is_empty() {
            return Lookup::None;
        }
        if let Some(&i) = self.by_code.get(&h.to_lowercase()) {
            return Lookup::One(i);
        }
        // "G3.1 12345热线按时办结率": the code, then that indicator's own name.
        let lower = h.to_lowercase();
        for (code, &i) in &self.by_code {
            if let Some(rest) = lower.strip_prefix(code.as_str())
                && !rest.is_empty()
                && split_header(&scheme.indicators[i].name).name.to_lowercase()
                    == rest.trim_start_matches(['.', '、', '-', '_', ':'])
            {
                return Lookup::One(i);
            }
        }
        match self.by_name.get(&h).map(Vec::as_slice) {
            Some([i]) => Lookup::One(*i),
            Some(many) => {
                let hint = parent_hint.map(|p| split_points(p).0);
                let chosen: Vec<usize> = many
                    .iter()
                    .copied()
                    .filter(|&i| {
                        scheme.indicators[i].parent.is_some_and(|p| {
                            let parent = &scheme.indicators[p];
                            hint.as_deref().is_some_and(|h| normalize_header(&parent.name) == h || parent.code == h)
                        })
                    })
                    .collect();
                match chosen.as_slice() {
                    [i] => Lookup::One(*i),
                    _ => Lookup::Ambiguous(many.iter().map(|&i| scheme.indicators[i].code.clone()).collect()),
                }
            }
            None => Lookup::None,
        }
    }

    /// The indicator name a header resembles closely enough that an unread column under it
    /// is an error, not a note: one name contains the other (three characters or more), or
    /// they differ by a character or two.
    pub fn resembles(&self, scheme: &Scheme, text: &str) -> Option<String> {
        let h = split_header(text).name;
        let len = h.chars().count();
        if len < 3 {
            return None;
        }
        scheme.indicators.iter().filter(|i| i.children.is_empty()).find_map(|i| {
            let name = split_header(&i.name).name;
            let close = (name.chars().count() >= 3 && (name.contains(&h) || h.contains(&name)))
                || strsim::normalized_levenshtein(&name, &h) >= 0.75;
            close.then(|| i.name.clone())
        })
    }

    /// The one leaf indicator whose name appears in a title, sheet or file name: the longest
    /// such name; `None` when none does or two different ones are equally long.
    pub fn named_in(&self, scheme: &Scheme, text: &str) -> Option<usize> {
        let t = normalize_header(text);
        let mut found: Vec<(usize, usize)> = scheme
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.children.is_empty())
            .filter_map(|(k, i)| {
                let name = split_header(&i.name).name;
                (name.chars().count() >= 2 && t.contains(&name)).then(|| (name.chars().count(), k))
            })
            .collect();
        found.sort_unstable_by(|a, b| b.cmp(a));
        match found[..] {
            [(n, k), (m, _), ..] if n > m => Some(k),
            [(_, k)] => Some(k),
            _ => None,
        }
    }

    /// The closest indicator code or name, for "did you mean".
    pub fn suggest(&self, text: &str) -> Option<String> {
        closest(&split_points(text).0, self.names.iter().map(String::as_str))
    }
}

/// The result of looking up an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    One(usize),
    Ambiguous(Vec<String>),
    None,
}

/// The columns of a long table (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongColumns {
    pub period: Option<usize>,
    pub subject: usize,
    pub indicator: usize,
    pub rater: Option<usize>,
    pub evaluator: Option<usize>,
    /// `evaluator` is a survey's response id (问卷编号): unique within its file only.
    pub respondent: bool,
    pub value: usize,
}

/// What one column of a wide table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WideColumn {
    /// A leaf indicator's values; `points` is the "(10分)" in the header, `unit` the "(%)".
    Indicator { col: usize, indicator: usize, points: Option<Decimal>, unit: Option<String>, header: String },
    /// The sheet's own 总分 / 合计.
    Total { col: usize },
    /// A parent indicator's subtotal: derived, not data.
    Parent { col: usize, indicator: usize },
    /// 序号, 类别, 备注, 排名 … and the subject and evaluator columns.
    Ignored { col: usize },
    /// The subjects' names beside their ids (名称, 姓名): each must name the row's subject.
    SubjectName { col: usize },
    /// An indicator whose header declares a unit other than the indicator's: not read.
    BadUnit { col: usize, indicator: usize, header_unit: String, header: String },
    /// A header perf does not know: `suggestion` is an indicator it closely resembles (the
    /// column is then an error), `hint` the nearest name for "did you mean".
    Unknown { col: usize, header: String, suggestion: Option<String>, hint: Option<String>, ambiguous: Vec<String> },
}

impl WideColumn {
    pub fn col(&self) -> usize {
        match self {
            WideColumn::Indicator { col, .. }
            | WideColumn::Total { col }
            | WideColumn::Parent { col, .. }
            | WideColumn::Ignored { col }
            | WideColumn::SubjectName { col }
            | WideColumn::BadUnit { col, .. }
            | WideColumn::Unknown { col, .. } => *col,
        }
    }
}

/// What the row labels and the column headers of a grid name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKind {
    /// Indicators down the rows, subjects across: a transposed wide table.
    Transposed,
    /// Evaluating units down, rated units across: the N×N peer matrix of one indicator.
    Matrix,
    /// Subjects down, one column per evaluator (评委1 … 评委N) of one indicator.
    EvaluatorColumns,
}

/// A detected table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    Long {
        header_row: usize,
        columns: LongColumns,
    },
    /// One row per subject (or per respondent: `respondent` when `evaluator` is a survey's
    /// response id or time rather than an evaluator's name).
    Wide {
        header_row: usize,
        header_rows: usize,
        subject: usize,
        evaluator: Option<usize>,
        respondent: bool,
        columns: Vec<WideColumn>,
    },
    /// A grid: row labels in `label_col`, column headers in `columns` (0-based column, text);
    /// `indicator` is the one indicator of a matrix or an evaluator-column sheet, named in the
    /// title, the sheet name or the file name.
    Grid {
        kind: GridKind,
        header_row: usize,
        label_col: usize,
        columns: Vec<(usize, String)>,
        indicator: Option<usize>,
    },
}

impl Layout {
    /// The first row of data (0-based).
    pub fn data_start(&self) -> usize {
        match self {
            Layout::Long { header_row, .. } | Layout::Grid { header_row, .. } => header_row + 1,
            Layout::Wide { header_row, header_rows, .. } => header_row + header_rows,
        }
    }

    /// The row of the header (0-based).
    pub fn header_row(&self) -> usize {
        match self {
            Layout::Long { header_row, .. } | Layout::Wide { header_row, .. } | Layout::Grid { header_row, .. } => {
                *header_row
            }
        }
    }

    /// A short name for the import summary.
    pub fn name(&self) -> &'static str {
        match self {
            Layout::Long { .. } => "long",
            Layout::Wide { respondent: true, .. } => "responses",
            Layout::Wide { .. } => "wide",
            Layout::Grid { kind: GridKind::Transposed, .. } => "transposed",
            Layout::Grid { kind: GridKind::Matrix, .. } => "matrix",
            Layout::Grid { kind: GridKind::EvaluatorColumns, .. } => "evaluators",
        }
    }
}

/// Why no table was taken from a sheet, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoLayout {
    pub msg: crate::core::msg::Msg,
    /// 0-based row and column, when the problem has a place.
    pub row: Option<usize>,
    pub col: Option<usize>,
}

fn positions(row: &[String], aliases: &[&str]) -> Vec<usize> {
    row.iter().enumerate().filter(|(_, c)| is_any(&normalize_header(c), aliases)).map(|(i, _)| i).collect()
}

fn position(row: &[String], aliases: &[&str]) -> Option<usize> {
    positions(row, aliases).first().copied()
}

/// Whether the cells below a header in column `col` hold only row numbers (1, 2, 3 …).
fn holds_row_numbers(rows: &[Vec<String>], below: usize, col: usize) -> bool {
    let values: Vec<&str> =
        rows.iter().skip(below + 1).filter_map(|r| r.get(col)).map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    !values.is_empty() && values.iter().all(|v| v.parse::<u32>().is_ok())
}

/// The subject column: an id column, unless it only numbers the rows and a name column
/// stands beside it (then 编号 is a row number, not an id).
fn subject_column(rows: &[Vec<String>], r: usize, kind: SubjectKind) -> Option<usize> {
    let row = &rows[r];
    let names = if kind == SubjectKind::Person { PERSON_NAME } else { UNIT_NAME };
    let name = position(row, names);
    match (position(row, ID), name) {
        (Some(id), Some(name)) if holds_row_numbers(rows, r, id) => Some(name),
        (Some(id), _) => Some(id),
        (None, name) => name,
    }
}

/// A column whose header names no subject but whose cells below do (a survey question "您评价
///的单位是：" over unit names): at least two cells, and four in five of them roster subjects.
fn subjects_below(rows: &[Vec<String>], r: usize, is_subject: &dyn Fn(&str) -> bool) -> Option<usize> {
    let width = rows.get(r)?.len();
    (0..width).find(|&c| {
        let cells: Vec<&str> =
            rows.iter().skip(r + 1).filter_map(|x| x.get(c)).map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
        let hits = cells.iter().filter(|t| is_subject(t)).count();
        hits >= 2 && hits * 5 >= cells.len() * 4 && !rows[r][c].trim().is_empty() && !is_subject(&rows[r][c])
    })
}

fn clip_header(s: &str) -> String {
    let s = normalize_header(s);
    match s.char_indices().nth(20) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

/// Why nothing was found: what perf saw, and the likeliest reason.
fn explain_nothing(
    rows: &[Vec<String>],
    scheme: &Scheme,
    index: &IndicatorIndex,
    is_subject: &dyn Fn(&str) -> bool,
) -> NoLayout {
    use crate::core::msg::{Msg, NoTableWhy};
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    let Some(header) = rows.iter().position(|r| filled(r) >= 2).or_else(|| rows.iter().position(|r| filled(r) >= 1))
    else {
        return NoLayout { msg: Msg::NoTable { saw: Vec::new(), why: NoTableWhy::Empty }, row: None, col: None };
    };
    let saw: Vec<String> =
        rows[header].iter().filter(|c| !c.trim().is_empty()).take(12).map(|c| clip_header(c)).collect();
    // Indicators down the first filled column and subjects across a row: transposed.
    let first_col = rows.iter().filter_map(|r| r.iter().position(|c| !c.trim().is_empty())).min().unwrap_or(0);
    let indicators_down = rows
        .iter()
        .filter_map(|r| r.get(first_col))
        .filter(|c| matches!(index.find(scheme, c, None), Lookup::One(_)))
        .count();
    let subjects_across = rows.iter().map(|r| r.iter().filter(|c| is_subject(c)).count()).max().unwrap_or(0);
    let why = if indicators_down >= 2 && subjects_across >= 2 {
        NoTableWhy::Transposed
    } else if let Some(r) = (0..rows.len()).find(|&r| subject_column(rows, r, scheme.subject).is_some()) {
        let col = subject_column(rows, r, scheme.subject).unwrap_or(0);
        NoTableWhy::NoIndicatorColumns { subject: clip_header(&rows[r][col]) }
    } else {
        NoTableWhy::NoSubjectColumn
    };
    NoLayout { msg: Msg::NoTable { saw, why }, row: Some(header), col: None }
}

/// Find the table in the first rows of a sheet (rows as text; merged cells already filled
/// across their region). With `header_row`, only that row (0-based) is tried. `is_subject`
/// tells whether a text names a roster subject (to recognise grids); `names` is the sheet and
/// file name (where a grid's indicator may be named).
pub fn detect(
    rows: &[Vec<String>],
    scheme: &Scheme,
    index: &IndicatorIndex,
    header_row: Option<usize>,
    is_subject: &dyn Fn(&str) -> bool,
    names: &str,
) -> Result<Layout, Box<NoLayout>> {
    let candidates: Vec<usize> = match header_row {
        Some(r) => vec![r],
        None => (0..rows.len().min(HEADER_SEARCH_ROWS)).collect(),
    };
    for r in candidates {
        let Some(row) = rows.get(r) else { continue };
        let Some(subject) = subject_column(rows, r, scheme.subject).or_else(|| subjects_below(rows, r, is_subject))
        else {
            continue;
        };
        if let (Some(indicator), Some(value)) = (position(row, INDICATOR), position(row, VALUE)) {
            // Two columns for one role: which to use cannot be known. (Two id columns are
            // fine when one only numbers the rows.)
            let ids = positions(row, ID);
            let twice = [VALUE, INDICATOR, PERIOD, RATER, EVALUATOR]
                .iter()
                .map(|aliases| positions(row, aliases))
                .chain(std::iter::once(ids).filter(|ids| ids.iter().all(|&c| !holds_row_numbers(rows, r, c))))
                .find_map(|cols| match cols[..] {
                    [first, second, ..] => Some((first, second)),
                    _ => None,
                });
            if let Some((first, second)) = twice {
                return Err(Box::new(NoLayout {
                    msg: crate::core::msg::Msg::DuplicateColumn {
                        header: normalize_header(&row[second]),
                        first: crate::core::import::ledger::column_letters(first),
                    },
                    row: Some(r),
                    col: Some(second),
                }));
            }
            let columns = LongColumns {
                period: position(row, PERIOD),
                subject,
                indicator,
                rater: position(row, RATER),
                evaluator: position(row, EVALUATOR).or_else(|| position(row, RESPONSE)),
                respondent: position(row, EVALUATOR).is_none() && position(row, RESPONSE).is_some(),
                value,
            };
            return Ok(Layout::Long { header_row: r, columns });
        }
        let is_leaf = |i: usize| scheme.indicators[i].children.is_empty();
        let leaves_in = |cells: &[String], upper: Option<&[String]>| {
            cells
                .iter()
                .enumerate()
                .filter(|(c, h)| {
                    let hint = upper.and_then(|u| u.get(*c)).map(String::as_str);
                    let under_group = || {
                        let lower = normalize_header(h);
                        (is_any(&lower, VALUE) || is_any(&lower, TARGET))
                            && hint.is_some_and(|u| matches!(index.find(scheme, u, None), Lookup::One(i) if is_leaf(i)))
                    };
                    matches!(index.find(scheme, h, hint), Lookup::One(i) if is_leaf(i)) || under_group()
                })
                .count()
        };
        let single = leaves_in(row, None);
        // The row below may repeat the subject header (a cell merged over both rows).
        let next = rows.get(r + 1).filter(|n| {
            let Some(c) = subject_column(rows, r + 1, scheme.subject) else { return true };
            c == subject || n.get(subject).is_some_and(|t| normalize_header(t) == normalize_header(&row[subject]))
        });
        // In a CSV a group cell over several columns is written once: it reaches right over
        // the empty cells after it while the row below has headers there.
        let upper: Vec<String> = match next {
            Some(n) => {
                let mut last = String::new();
                (0..row.len().max(n.len()))
                    .map(|c| {
                        let u = row.get(c).map(String::as_str).unwrap_or("");
                        let below = n.get(c).is_some_and(|t| !t.trim().is_empty());
                        if !u.trim().is_empty() {
                            last = u.to_owned();
                            last.clone()
                        } else if below && c != subject {
                            last.clone()
                        } else {
                            last.clear();
                            String::new()
                        }
                    })
                    .collect()
            }
            None => row.clone(),
        };
        let double = next.map_or(0, |n| leaves_in(n, Some(&upper)));
        if single == 0 && double == 0 {
            continue;
        }
        let header_rows = if double > single { 2 } else { 1 };
        let width = row.len().max(next.map_or(0, Vec::len));
        let named = position(row, EVALUATOR);
        let response = position(row, RESPONSE);
        let evaluator = named.or(response);
        let respondent = named.is_none() && response.is_some();
        // Subjects found by their ids (编号): a name column beside them is checked row by row.
        let by_id = [Some(row), next]
            .into_iter()
            .flatten()
            .any(|r| r.get(subject).is_some_and(|t| is_any(&normalize_header(t), ID)));
        let columns = (0..width)
            .map(|col| {
                let upper = if header_rows == 2 { upper.get(col) } else { row.get(col) };
                let upper = upper.map(String::as_str).unwrap_or("");
                let lower =
                    if header_rows == 2 { next.and_then(|n| n.get(col)).map_or("", String::as_str) } else { "" };
                let (text, hint) = if lower.trim().is_empty() { (upper, None) } else { (lower, Some(upper)) };
                classify(col, text, hint, (subject, by_id), evaluator, scheme, index)
            })
            .collect();
        return Ok(Layout::Wide { header_row: r, header_rows, subject, evaluator, respondent, columns });
    }
    if header_row.is_none()
        && let Some(grid) = detect_grid(rows, scheme, index, is_subject, names)
    {
        return grid;
    }
    Err(Box::new(explain_nothing(rows, scheme, index, is_subject)))
}

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static NUMBERED_EVALUATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第)?(?:评委|专家|评分人|评价人|评议人|打分人|委员|领导|评审)\s*[0-9一二三四五六七八九十]+(?:号)?(?:评委)?$|^[A-Za-z]?\d+号?评委$")
        .expect("valid regex")
});

/// Grids: a transposed table, an N×N peer matrix, or evaluator columns. A matrix or an
/// evaluator sheet takes its one indicator from `names` (sheet and file name) or the rows
/// above its header; without one it is refused, saying so.
fn detect_grid(
    rows: &[Vec<String>],
    scheme: &Scheme,
    index: &IndicatorIndex,
    is_subject: &dyn Fn(&str) -> bool,
    names: &str,
) -> Option<Result<Layout, Box<NoLayout>>> {
    use crate::core::msg::{Msg, NoTableWhy};
    let is_leaf =
        |t: &str| matches!(index.find(scheme, t, None), Lookup::One(i) if scheme.indicators[i].children.is_empty());
    for r in 0..rows.len().min(HEADER_SEARCH_ROWS) {
        let row = &rows[r];
        let above: String = rows[..r].iter().flatten().cloned().collect::<Vec<_>>().join(" ");
        let indicator = || index.named_in(scheme, &format!("{names} {above}"));
        let subject_cols: Vec<usize> = row.iter().enumerate().filter(|(_, t)| is_subject(t)).map(|(c, _)| c).collect();
        if let [first, _, ..] = subject_cols[..] {
            for label_col in 0..first {
                let labels = rows.iter().skip(r + 1).filter_map(|x| x.get(label_col));
                let indicators = labels.clone().filter(|t| is_leaf(t)).count();
                let subjects = labels.filter(|t| is_subject(t)).count();
                let columns: Vec<(usize, String)> =
                    subject_cols.iter().map(|&c| (c, normalize_header(&row[c]))).collect();
                if indicators >= 1 && indicators >= subjects {
                    let kind = GridKind::Transposed;
                    return Some(Ok(Layout::Grid { kind, header_row: r, label_col, columns, indicator: None }));
                }
                if subjects >= 2 {
                    let Some(i) = indicator() else {
                        let msg = Msg::NoTable { saw: Vec::new(), why: NoTableWhy::MatrixWithoutIndicator };
                        return Some(Err(Box::new(NoLayout { msg, row: Some(r), col: None })));
                    };
                    let kind = GridKind::Matrix;
                    return Some(Ok(Layout::Grid { kind, header_row: r, label_col, columns, indicator: Some(i) }));
                }
            }
        }
        if let Some(label_col) = subject_column(rows, r, scheme.subject) {
            let columns: Vec<(usize, String)> = row
                .iter()
                .enumerate()
                .filter(|(c, t)| *c != label_col && NUMBERED_EVALUATOR.is_match(&normalize_header(t)))
                .map(|(c, t)| (c, normalize_header(t)))
                .collect();
            if !columns.is_empty() {
                let Some(i) = indicator() else {
                    let msg = Msg::NoTable { saw: Vec::new(), why: NoTableWhy::EvaluatorsWithoutIndicator };
                    return Some(Err(Box::new(NoLayout { msg, row: Some(r), col: None })));
                };
                let kind = GridKind::EvaluatorColumns;
                return Some(Ok(Layout::Grid { kind, header_row: r, label_col, columns, indicator: Some(i) }));
            }
        }
    }
    None
}

/// Whether a header's unit agrees with the indicator's (a header "(分)" says nothing about
/// the unit; an indicator without a unit accepts any).
fn unit_agrees(header_unit: &str, unit: Option<&str>) -> bool {
    let norm = |u: &str| normalize_header(u).replace('％', "%");
    match unit {
        _ if header_unit == "分" => true,
        None => true,
        Some(u) => norm(u) == norm(header_unit) || (norm(u).contains('%') && header_unit == "%"),
    }
}

fn classify(
    col: usize,
    text: &str,
    hint: Option<&str>,
    (subject, by_id): (usize, bool),
    evaluator: Option<usize>,
    scheme: &Scheme,
    index: &IndicatorIndex,
) -> WideColumn {
    let h = normalize_header(text);
    if col == subject
        || Some(col) == evaluator
        || h.is_empty()
        || is_any(&h, IGNORED)
        || is_any(&h, ID)
        || is_any(&h, RESPONSE)
        || is_any(&h, SURVEY_META)
    {
        return WideColumn::Ignored { col };
    }
    if is_any(&split_points(&h).0, TOTAL) {
        return WideColumn::Total { col };
    }
    if scheme.subject == SubjectKind::Person && is_any(&h, UNIT_NAME) && !is_any(&h, PERSON_NAME) {
        return WideColumn::Ignored { col };
    }
    // The names beside a subject column of ids (编号 | 名称, as perf's templates have it).
    let names = if scheme.subject == SubjectKind::Person { PERSON_NAME } else { UNIT_NAME };
    if by_id && is_any(&h, names) {
        return WideColumn::SubjectName { col };
    }
    // A group cell naming an indicator over 目标值 | 完成值: the value column is the
    // indicator's, the target column is not data.
    if let Some(upper) = hint
        && (is_any(&h, VALUE) || is_any(&h, TARGET))
        && let Lookup::One(i) = index.find(scheme, upper, None)
        && scheme.indicators[i].children.is_empty()
    {
        if is_any(&h, TARGET) {
            return WideColumn::Ignored { col };
        }
        let parts = split_header(upper);
        return WideColumn::Indicator { col, indicator: i, points: parts.points, unit: parts.unit, header: h };
    }
    let parts = split_header(text);
    match index.find(scheme, text, hint) {
        Lookup::One(i) if scheme.indicators[i].children.is_empty() => {
            if let Some(u) = &parts.unit
                && !unit_agrees(u, scheme.indicators[i].unit.as_deref())
            {
                return WideColumn::BadUnit { col, indicator: i, header_unit: u.clone(), header: h };
            }
            WideColumn::Indicator { col, indicator: i, points: parts.points, unit: parts.unit, header: h }
        }
        Lookup::One(i) => WideColumn::Parent { col, indicator: i },
        Lookup::Ambiguous(codes) => {
            WideColumn::Unknown { col, header: h, suggestion: None, hint: None, ambiguous: codes }
        }
        Lookup::None => WideColumn::Unknown {
            col,
            suggestion: index.resembles(scheme, &h),
            hint: index.suggest(&h),
            header: h,
            ambiguous: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_suffixes() {
        assert_eq!(split_points("党建工作(10分)"), ("党建工作".into(), Some(Decimal::TEN)));
        assert_eq!(split_points("党建工作（10 分）"), ("党建工作".into(), Some(Decimal::TEN)));
        assert_eq!(split_points("满意度【2.5】"), ("满意度".into(), Some(Decimal::new(25, 1))));
        assert_eq!(split_points(" 名 称 "), ("名称".into(), None));
    }

    #[test]
    fn unit_suffixes() {
        let p = |name: &str, points: Option<i64>, unit: Option<&str>| HeaderParts {
            name: name.into(),
            points: points.map(Decimal::from),
            unit: unit.map(str::to_owned),
        };
        assert_eq!(split_header("行政复议诉讼纠错率(%)"), p("行政复议诉讼纠错率", None, Some("%")));
        assert_eq!(split_header("行政复议诉讼纠错率（%）"), p("行政复议诉讼纠错率", None, Some("%")));
        assert_eq!(split_header("按时办结率%"), p("按时办结率", None, Some("%")));
        assert_eq!(split_header("项目落地数(个)"), p("项目落地数", None, Some("个")));
        assert_eq!(split_header("通报(次)"), p("通报", None, Some("次")));
        assert_eq!(split_header("投资额(万元)"), p("投资额", None, Some("万元")));
        assert_eq!(split_header("完成率(单位:%)"), p("完成率", None, Some("%")));
        assert_eq!(split_header("完成率（单位：%）（20分）"), p("完成率", Some(20), Some("%")));
        assert_eq!(split_header("党建(10分)"), p("党建", Some(10), None));
        // Brackets that are part of a name stay.
        assert_eq!(split_header("党建(含工会)"), p("党建(含工会)", None, None));
        // Survey questions: the number in front and the colon behind go.
        assert_eq!(split_header("2、服务对象满意度："), p("服务对象满意度", None, None));
        assert_eq!(split_header("Q3.12345热线按时办结率(%)"), p("12345热线按时办结率", None, Some("%")));
        assert_eq!(split_header("（4）法治政府建设评价？"), p("法治政府建设评价", None, None));
        assert_eq!(split_header("12345热线按时办结率"), p("12345热线按时办结率", None, None));
        // Outline numbers in front of a name.
        assert_eq!(split_header("一、党的建设"), p("党的建设", None, None));
        assert_eq!(split_header("（二）依法行政"), p("依法行政", None, None));
        assert_eq!(split_header("1.1党建工作责任制落实(10分)"), p("党建工作责任制落实", Some(10), None));
        assert_eq!(split_header("3.12345热线按时办结率"), p("12345热线按时办结率", None, None));
    }

    #[test]
    fn aliases_behind_numbers_and_before_units() {
        assert!(is_any("完成值(%)", VALUE));
        assert!(is_any("得分（分）", VALUE));
        assert!(is_any("1、单位名称：", UNIT_NAME));
        assert!(!is_any("单位名称(盖章)", ID));
    }

    #[test]
    fn footers() {
        assert!(is_footer(&["", "制表人：张三"]));
        assert!(is_footer(&["合计", "", "95"]));
        assert!(!is_footer(&["1", "区财政局"]));
        assert!(!is_footer(&["  ", "2026Q1", "合计"]), "the first non-blank cell decides");
        assert!(is_footer(&["\u{3000}", "合计"]));
        assert!(!is_footer::<&str>(&[]));
    }
}
