//! Column mappings for recurring exports: a survey system's workbook whose headers are
//! questions ("1、您评价的单位是：") is read the way `perf.toml` declares — which column holds
//! the subject, the evaluator, the indicator and value (long) or which column is which
//! indicator (wide), the rater, the period and the words that stand for numbers.
//!
//! [`MappingDoc`] is the `[[mapping]]` table as written; [`check`] resolves it against the
//! scheme (every code, rater and period must exist); [`layout`] finds the declared headers in
//! a sheet. Declarative only: no expressions.

use crate::core::import::header::{
    HEADER_SEARCH_ROWS, IndicatorIndex, Layout, LongColumns, Lookup, NoLayout, WideColumn, normalize_header,
};
use crate::core::import::period::find_period;
use crate::core::msg::Msg;
use crate::core::scheme::Scheme;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// 一类固定格式的导出文件（如问卷系统导出）怎么读：哪一列是考核对象、评价人、指标、数值，
/// 哪一列对应哪个指标。只声明，不写公式。How to read a recurring export.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingDoc {
    /// 适用的文件名（通配符，如 "问卷星*.xlsx"、"**/服务对象*.csv"），与工作区中的相对路径或文件名比较。
    /// File-name pattern (glob), matched against the file name or its path.
    pub files: String,
    /// 考核对象所在列的表头，原样照抄（如 "1、您评价的单位是："）。Header of the subject column.
    pub subject: String,
    /// 评价人或问卷编号所在列的表头；省略时每份文件算一个评价人。Header of the evaluator column.
    #[serde(default)]
    pub evaluator: Option<String>,
    /// 长表：指标所在列的表头（与 value 一起用）。Long tables: header of the indicator column.
    #[serde(default)]
    pub indicator: Option<String>,
    /// 长表：数值所在列的表头。Long tables: header of the value column.
    #[serde(default)]
    pub value: Option<String>,
    /// 宽表：表头 → 指标代码，例如 { "2、您对该单位服务的总体评价：" = "G3.2" }。其他列不读。
    /// Wide tables: header → indicator code; other columns are not read.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// 评价主体 id（如 public）。Rater id.
    #[serde(default)]
    pub rater: Option<String>,
    /// 考核期（如 2026Q1）；省略时照常从文件名、标题等处读取。Period.
    #[serde(default)]
    pub period: Option<String>,
    /// 这些文件中的文字及其数值（补充并优先于方案的 value_words），如 { "非常满意" = 100 }。
    /// Words and the values they stand for, in these files.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub words: BTreeMap<String, Decimal>,
}

/// A mapping checked against the scheme.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub pattern: globset::GlobMatcher,
    pub subject: String,
    pub evaluator: Option<String>,
    pub long: Option<(String, String)>,
    /// (header, indicator index), headers normalised.
    pub columns: Vec<(String, usize)>,
    pub rater: Option<usize>,
    pub period: Option<String>,
    /// Words, normalised, with their values.
    pub words: Vec<(String, Decimal)>,
}

impl Mapping {
    /// Whether the mapping applies to a file (its path as shown, or its name).
    pub fn applies(&self, path: &str) -> bool {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        self.pattern.is_match(path) || self.pattern.is_match(name)
    }
}

/// Resolve a mapping (the `n`-th, 1-based, for messages) against the scheme.
pub fn check(doc: &MappingDoc, n: usize, scheme: &Scheme) -> Result<Mapping, Msg> {
    let bad = |detail: String| Msg::BadMapping { n, detail };
    let pattern = globset::Glob::new(&doc.files).map_err(|e| bad(format!("files = \"{}\": {e}", doc.files)))?;
    let index = IndicatorIndex::new(scheme);
    let mut columns = Vec::new();
    for (header, code) in &doc.columns {
        match index.find(scheme, code, None) {
            Lookup::One(i) if scheme.indicators[i].children.is_empty() => columns.push((normalize_header(header), i)),
            _ => return Err(bad(format!("columns: {code}"))),
        }
    }
    let long = match (&doc.indicator, &doc.value) {
        (Some(i), Some(v)) => Some((normalize_header(i), normalize_header(v))),
        (None, None) => None,
        (Some(_), None) => return Err(bad("indicator → value".into())),
        (None, Some(_)) => return Err(bad("value → indicator".into())),
    };
    if long.is_none() && columns.is_empty() {
        return Err(bad("columns / indicator + value".into()));
    }
    let rater = match &doc.rater {
        Some(r) => Some(scheme.raters.iter().position(|x| x.id == *r).ok_or_else(|| bad(format!("rater = \"{r}\"")))?),
        None => None,
    };
    let period = match &doc.period {
        Some(p) => Some(
            find_period(p)
                .filter(|x| x.kind == scheme.period)
                .map(|x| x.name)
                .ok_or_else(|| bad(format!("period = \"{p}\"")))?,
        ),
        None => None,
    };
    Ok(Mapping {
        pattern: pattern.compile_matcher(),
        subject: normalize_header(&doc.subject),
        evaluator: doc.evaluator.as_deref().map(normalize_header),
        long,
        columns,
        rater,
        period,
        words: doc.words.iter().map(|(w, v)| (normalize_header(w), *v)).collect(),
    })
}

/// The table a mapping declares, found in the first rows of a sheet: the header row is the
/// first that holds the subject header; every other header the mapping names must be in it.
pub fn layout(m: &Mapping, rows: &[Vec<String>]) -> Result<Layout, Box<NoLayout>> {
    let at = |row: &[String], h: &str| row.iter().position(|c| normalize_header(c) == h);
    let missing = |header: &str, row: Option<usize>| {
        Box::new(NoLayout { msg: Msg::MappingColumnMissing { header: header.to_owned() }, row, col: None })
    };
    let Some(r) = rows.iter().take(HEADER_SEARCH_ROWS).position(|row| at(row, &m.subject).is_some()) else {
        return Err(missing(&m.subject, None));
    };
    let row = &rows[r];
    let subject = at(row, &m.subject).unwrap_or(0);
    let evaluator = match &m.evaluator {
        Some(h) => Some(at(row, h).ok_or_else(|| missing(h, Some(r)))?),
        None => None,
    };
    if let Some((indicator, value)) = &m.long {
        let columns = LongColumns {
            period: None,
            subject,
            indicator: at(row, indicator).ok_or_else(|| missing(indicator, Some(r)))?,
            rater: None,
            evaluator,
            respondent: evaluator.is_some(),
            value: at(row, value).ok_or_else(|| missing(value, Some(r)))?,
        };
        return Ok(Layout::Long { header_row: r, columns });
    }
    let mut columns: Vec<WideColumn> = (0..row.len()).map(|col| WideColumn::Ignored { col }).collect();
    for (header, indicator) in &m.columns {
        let col = at(row, header).ok_or_else(|| missing(header, Some(r)))?;
        columns[col] =
            WideColumn::Indicator { col, indicator: *indicator, points: None, unit: None, header: header.clone() };
    }
    Ok(Layout::Wide { header_row: r, header_rows: 1, subject, evaluator, respondent: evaluator.is_some(), columns })
}
