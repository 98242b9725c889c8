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
pub const HEADER_SEARCH_ROWS: usize = 30;

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static POINTS_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)[(（\[【]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）\]】]$").expect("valid regex"));

/// A header cell without width variants, spaces or line breaks.
pub fn normalize_header(s: &str) -> String {
    fold_width(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Split "党建工作(10分)" into ("党建工作", Some(10)).
pub fn split_points(header: &str) -> (String, Option<Decimal>) {
    let h = normalize_header(header);
    match POINTS_SUFFIX.captures(&h) {
        Some(c) => (c[1].to_owned(), Decimal::from_str(&c[2]).ok()),
        None => (h, None),
    }
}

fn is_any(h: &str, aliases: &[&str]) -> bool {
    let l = h.to_lowercase();
    aliases.contains(&l.as_str())
}

const ID: &[&str] = &["编号", "代码", "单位代码", "对象编号", "工号", "人员编号", "id", "code", "subject"];
const UNIT_NAME: &[&str] =
    &["名称", "单位名称", "单位", "考核对象", "对象", "被考核单位", "被评价单位", "部门", "部门名称", "name"];
const PERSON_NAME: &[&str] = &["姓名", "考核对象", "对象", "被考核人", "被评价人", "name"];
const PERIOD: &[&str] = &["考核期", "周期", "期间", "考核周期", "考核期间", "period"];
const INDICATOR: &[&str] = &["指标", "指标代码", "指标名称", "考核指标", "指标编号", "indicator"];
const RATER: &[&str] = &["评价主体", "主体", "评价类型", "rater"];
const EVALUATOR: &[&str] = &["评价人", "评分人", "打分人", "评议人", "evaluator"];
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
pub fn is_footer(cells: &[String]) -> bool {
    cells
        .iter()
        .map(|c| normalize_header(c))
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
            by_name.entry(normalize_header(&ind.name)).or_default().push(i);
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
    pub value: usize,
}

/// What one column of a wide table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WideColumn {
    /// A leaf indicator's values; `points` is the "(10分)" in the header, if any.
    Indicator { col: usize, indicator: usize, points: Option<Decimal>, header: String },
    /// The sheet's own 总分 / 合计.
    Total { col: usize },
    /// A parent indicator's subtotal: derived, not data.
    Parent { col: usize, indicator: usize },
    /// 序号, 类别, 备注, 排名 … and the subject and evaluator columns.
    Ignored { col: usize },
    /// A header perf does not know.
    Unknown { col: usize, header: String, suggestion: Option<String>, ambiguous: Vec<String> },
}

/// A detected table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    Long { header_row: usize, columns: LongColumns },
    Wide { header_row: usize, header_rows: usize, subject: usize, evaluator: Option<usize>, columns: Vec<WideColumn> },
}

impl Layout {
    /// The first row of data (0-based).
    pub fn data_start(&self) -> usize {
        match self {
            Layout::Long { header_row, .. } => header_row + 1,
            Layout::Wide { header_row, header_rows, .. } => header_row + header_rows,
        }
    }
}

fn position(row: &[String], aliases: &[&str]) -> Option<usize> {
    row.iter().position(|c| is_any(&normalize_header(c), aliases))
}

fn subject_column(row: &[String], kind: SubjectKind) -> Option<usize> {
    let names = if kind == SubjectKind::Person { PERSON_NAME } else { UNIT_NAME };
    position(row, ID).or_else(|| position(row, names))
}

/// Find the table in the first rows of a sheet (rows as text; merged cells already filled
/// across their region). With `header_row`, only that row (0-based) is tried.
pub fn detect(
    rows: &[Vec<String>],
    scheme: &Scheme,
    index: &IndicatorIndex,
    header_row: Option<usize>,
) -> Option<Layout> {
    let candidates: Vec<usize> = match header_row {
        Some(r) => vec![r],
        None => (0..rows.len().min(HEADER_SEARCH_ROWS)).collect(),
    };
    for r in candidates {
        let row = rows.get(r)?;
        let Some(subject) = subject_column(row, scheme.subject) else {
            continue;
        };
        if let (Some(indicator), Some(value)) = (position(row, INDICATOR), position(row, VALUE)) {
            let columns = LongColumns {
                period: position(row, PERIOD),
                subject,
                indicator,
                rater: position(row, RATER),
                evaluator: position(row, EVALUATOR),
                value,
            };
            return Some(Layout::Long { header_row: r, columns });
        }
        let leaves_in = |cells: &[String], upper: Option<&[String]>| {
            cells
                .iter()
                .enumerate()
                .filter(|(c, h)| {
                    let hint = upper.and_then(|u| u.get(*c)).map(String::as_str);
                    matches!(index.find(scheme, h, hint), Lookup::One(i) if scheme.indicators[i].children.is_empty())
                })
                .count()
        };
        let single = leaves_in(row, None);
        // The row below may repeat the subject header (a cell merged over both rows).
        let next = rows.get(r + 1).filter(|n| subject_column(n, scheme.subject).is_none_or(|c| c == subject));
        let double = next.map_or(0, |n| leaves_in(n, Some(row)));
        if single == 0 && double == 0 {
            continue;
        }
        let header_rows = if double > single { 2 } else { 1 };
        let width = row.len().max(next.map_or(0, Vec::len));
        let evaluator = position(row, EVALUATOR);
        let columns = (0..width)
            .map(|col| {
                let upper = row.get(col).map(String::as_str).unwrap_or("");
                let lower =
                    if header_rows == 2 { next.and_then(|n| n.get(col)).map_or("", String::as_str) } else { "" };
                let (text, hint) = if lower.trim().is_empty() { (upper, None) } else { (lower, Some(upper)) };
                classify(col, text, hint, subject, evaluator, scheme, index)
            })
            .collect();
        return Some(Layout::Wide { header_row: r, header_rows, subject, evaluator, columns });
    }
    None
}

fn classify(
    col: usize,
    text: &str,
    hint: Option<&str>,
    subject: usize,
    evaluator: Option<usize>,
    scheme: &Scheme,
    index: &IndicatorIndex,
) -> WideColumn {
    let h = normalize_header(text);
    if col == subject || Some(col) == evaluator || h.is_empty() || is_any(&h, IGNORED) || is_any(&h, ID) {
        return WideColumn::Ignored { col };
    }
    if is_any(&split_points(&h).0, TOTAL) {
        return WideColumn::Total { col };
    }
    if scheme.subject == SubjectKind::Person && is_any(&h, UNIT_NAME) && !is_any(&h, PERSON_NAME) {
        return WideColumn::Ignored { col };
    }
    match index.find(scheme, text, hint) {
        Lookup::One(i) if scheme.indicators[i].children.is_empty() => {
            WideColumn::Indicator { col, indicator: i, points: split_points(text).1, header: h }
        }
        Lookup::One(i) => WideColumn::Parent { col, indicator: i },
        Lookup::Ambiguous(codes) => WideColumn::Unknown { col, header: h, suggestion: None, ambiguous: codes },
        Lookup::None => WideColumn::Unknown { col, suggestion: index.suggest(&h), header: h, ambiguous: Vec::new() },
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
    fn footers() {
        assert!(is_footer(&["".into(), "制表人：张三".into()]));
        assert!(is_footer(&["合计".into(), "".into(), "95".into()]));
        assert!(!is_footer(&["1".into(), "区财政局".into()]));
    }
}
