//! Entry templates (`perf template`): which workbooks, sheets, rows and columns an office sends
//! out for one period, worked out from the scheme and the roster, and what each entry cell
//! accepts. Pure: the workbook itself is written by `io::template`.
//!
//! - One workbook per rater source: its rows are the subjects the rater scores, its columns the
//!   rating indicators it has weight in. Indicators that are not ratings (data, deductions,
//!   bonuses, vetoes, yes/no items) go into one more workbook, filled by the office.
//! - When the indicators differ by category, one sheet per category.
//! - A rater with several evaluators (min_count > 1: 互评, 服务对象) gets min_count rows a
//!   subject, one per respondent; `By::Unit` gives it one workbook per evaluating unit
//!   instead, recorded as its evaluator: a unit scores the other units (not itself) once; for
//!   persons, a unit's workbook holds its own people, a row per colleague.

use crate::core::import::cell::{allowed_range, is_yes_no};
use crate::core::roster::Roster;
use crate::core::scheme::{Indicator, Method, Scheme, SubjectKind};
use rust_decimal::Decimal;

/// Which workbooks to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum By {
    #[default]
    #[value(help = crate::choice("每个评价主体一个工作簿", "a workbook per rater"))]
    Rater,
    #[value(help = crate::choice(
        "有多个评价人的主体（互评、服务对象）按评价单位各一个工作簿",
        "raters with several evaluators (peers, the public): a workbook per evaluating unit"
    ))]
    Unit,
}

/// One workbook to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    /// The file name without extension: the rater's name (or 数据指标), the evaluating unit
    /// when there is one, and the period — the names `perf import` reads them from.
    pub stem: String,
    /// The rater (None: the data workbook).
    pub rater: Option<usize>,
    /// The evaluating unit (`By::Unit`), else empty.
    pub evaluator: String,
    pub sheets: Vec<SheetPlan>,
}

/// One sheet: its rows (roster indexes) and columns (indicator indexes, in file order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlan {
    pub name: String,
    pub subjects: Vec<usize>,
    pub columns: Vec<usize>,
    /// Rows per subject: a rater with several evaluators (min_count > 1) gets that many rows
    /// a subject, one per respondent (`perf import` reads repeated subjects as respondents).
    pub repeat: u32,
}

/// What an entry cell accepts: the same rule `perf import` applies to the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A number in [min, max] (either end open).
    Number { min: Option<Decimal>, max: Option<Decimal> },
    /// A number in [min, max] or one of the scheme's value words.
    NumberOrWord { min: Decimal, max: Decimal, words: Vec<String> },
    /// 是 or 否.
    YesNo,
}

/// The entry rule of an indicator's cells.
pub fn entry(scheme: &Scheme, ind: &Indicator) -> Entry {
    if is_yes_no(ind) {
        return Entry::YesNo;
    }
    let (min, max) = allowed_range(ind);
    match (&ind.method, min, max) {
        (Some(Method::Rating { .. }), Some(min), Some(max)) if !scheme.value_words.is_empty() => {
            Entry::NumberOrWord { min, max, words: scheme.value_words.iter().map(|(w, _)| w.clone()).collect() }
        }
        _ => Entry::Number { min, max },
    }
}

/// The roster's categories as scheme indexes.
fn categories(scheme: &Scheme, roster: &Roster) -> Vec<Option<usize>> {
    roster.subjects.iter().map(|s| s.category.as_deref().and_then(|c| scheme.find_category(c))).collect()
}

/// Whether a rater has weight in a rating indicator.
fn rates(ind: &Indicator, rater: usize) -> bool {
    matches!(&ind.method, Some(Method::Rating { raters, .. }) if raters.iter().any(|(r, w)| *r == rater && *w > Decimal::ZERO))
}

/// Leaves that are entered as data (not ratings): the office's workbook.
fn is_data(ind: &Indicator) -> bool {
    ind.children.is_empty() && ind.method.as_ref().is_some_and(|m| !matches!(m, Method::Rating { .. }))
}

/// The sheets for `subjects` and the indicators `wanted`: one sheet when every category has
/// the same columns, else one per category (in the scheme's order; subjects without a
/// category last).
fn sheets(
    scheme: &Scheme,
    cats: &[Option<usize>],
    subjects: &[usize],
    wanted: &dyn Fn(&Indicator) -> bool,
    name: &str,
    repeat: u32,
) -> Vec<SheetPlan> {
    let columns_for = |c: Option<usize>| -> Vec<usize> {
        (0..scheme.indicators.len())
            .filter(|&i| wanted(&scheme.indicators[i]) && scheme.indicators[i].applies_to(c))
            .collect()
    };
    let mut present: Vec<Option<usize>> = Vec::new();
    for &s in subjects {
        if !present.contains(&cats[s]) {
            present.push(cats[s]);
        }
    }
    let first = present.first().map(|&c| columns_for(c)).unwrap_or_default();
    if present.iter().all(|&c| columns_for(c) == first) {
        let rows: Vec<usize> = subjects.iter().copied().filter(|&s| !columns_for(cats[s]).is_empty()).collect();
        return if first.is_empty() || rows.is_empty() {
            Vec::new()
        } else {
            vec![SheetPlan { name: safe_name(name), subjects: rows, columns: first, repeat }]
        };
    }
    present.sort_by_key(|c| (c.is_none(), *c));
    present
        .into_iter()
        .filter_map(|c| {
            let columns = columns_for(c);
            let rows: Vec<usize> = subjects.iter().copied().filter(|&s| cats[s] == c).collect();
            let name = safe_name(&c.map_or_else(|| name.to_owned(), |c| scheme.categories[c].name.clone()));
            (!columns.is_empty() && !rows.is_empty()).then_some(SheetPlan { name, subjects: rows, columns, repeat })
        })
        .collect()
}

/// The evaluating units of a roster: for units the subjects themselves, for persons their
/// units (in roster order, each once).
fn units(scheme: &Scheme, roster: &Roster) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &roster.subjects {
        let unit = match scheme.subject {
            SubjectKind::Unit => Some(s.name.clone()),
            _ => s.unit.clone(),
        };
        if let Some(u) = unit.filter(|u| !u.trim().is_empty())
            && !out.contains(&u)
        {
            out.push(u);
        }
    }
    out
}

/// The workbooks for `period` (a canonical period such as 2026Q1), for every rater or only
/// `only`.
pub fn plan(scheme: &Scheme, roster: &Roster, period: &str, by: By, only: Option<usize>) -> Vec<Book> {
    let cats = categories(scheme, roster);
    let everyone: Vec<usize> = (0..roster.subjects.len()).collect();
    let mut books = Vec::new();
    for (r, rater) in scheme.raters.iter().enumerate() {
        if only.is_some_and(|o| o != r) {
            continue;
        }
        let wanted = |ind: &Indicator| ind.children.is_empty() && rates(ind, r);
        let several = rater.min_count.max(1);
        if by == By::Unit && several > 1 {
            for unit in units(scheme, roster) {
                // A unit scores the other units (not itself), once; a unit's people are scored
                // by their colleagues, one row per respondent.
                let (rows, repeat): (Vec<usize>, u32) = match scheme.subject {
                    SubjectKind::Unit => {
                        (everyone.iter().copied().filter(|&s| roster.subjects[s].name != unit).collect(), 1)
                    }
                    _ => (
                        everyone
                            .iter()
                            .copied()
                            .filter(|&s| roster.subjects[s].unit.as_deref() == Some(unit.as_str()))
                            .collect(),
                        several,
                    ),
                };
                let sheets = sheets(scheme, &cats, &rows, &wanted, &rater.name, repeat);
                if !sheets.is_empty() {
                    let stem = format!("{}_{}_{period}", safe_name(&rater.name), safe_name(&unit));
                    books.push(Book { stem, rater: Some(r), evaluator: unit, sheets });
                }
            }
        } else {
            let sheets = sheets(scheme, &cats, &everyone, &wanted, &rater.name, several);
            if !sheets.is_empty() {
                books.push(Book {
                    stem: format!("{}_{period}", safe_name(&rater.name)),
                    rater: Some(r),
                    evaluator: String::new(),
                    sheets,
                });
            }
        }
    }
    if only.is_none() {
        let sheets = sheets(scheme, &cats, &everyone, &is_data, DATA_SHEET, 1);
        if !sheets.is_empty() {
            books.push(Book { stem: format!("{DATA_SHEET}_{period}"), rater: None, evaluator: String::new(), sheets });
        }
    }
    books
}

/// A name safe as a file name and a sheet name: no `/ \\ : * ? " < > | [ ]`, at most 31
/// characters (Excel's limit for sheet names).
pub fn safe_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if "/\\:*?\"<>|[]".contains(c) || c.is_control() { '_' } else { c }).collect();
    cleaned.chars().take(31).collect()
}

/// The name of the office's workbook and sheet for indicators that are not ratings.
pub const DATA_SHEET: &str = "数据指标";

/// The template format; `perf import` refuses a template of a newer one.
pub const TEMPLATE_VERSION: &str = "1";

/// What a template's columns depend on, as text to hash: each column's code, method, points,
/// unit and range. A scheme edit that changes any of them changes the fingerprint.
pub fn fingerprint_text(scheme: &Scheme, columns: &[usize]) -> String {
    let mut out = String::new();
    for &i in columns {
        let ind = &scheme.indicators[i];
        let text = |d: Option<Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
        let (min, max) = allowed_range(ind);
        out.push_str(&format!(
            "{}|{}|{}|{}|{}|{}\n",
            ind.code,
            ind.method.as_ref().map_or("", |m| m.kind().as_str()),
            text(ind.points),
            ind.unit.as_deref().unwrap_or(""),
            text(min),
            text(max),
        ));
    }
    out
}

/// The columns a template for `rater` (None: the data workbook) has under today's scheme and
/// roster: every column of the workbooks [`plan`] makes for it.
pub fn columns_now(scheme: &Scheme, roster: &Roster, rater: Option<usize>) -> Vec<usize> {
    let mut columns: Vec<usize> = plan(scheme, roster, "", By::Rater, rater)
        .into_iter()
        .filter(|b| b.rater == rater)
        .flat_map(|b| b.sheets.into_iter().flat_map(|s| s.columns))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    columns
}

/// What a returned template's `_perf` sheet says against today's scheme: an indicator it has
/// that the scheme no longer has (or this rater no longer scores), one the scheme now asks
/// for that it lacks — errors naming them — or, with the same columns, a changed rule
/// (points, method, range: a warning, the values are still read under today's rules). A
/// template of a newer format is refused.
pub fn check_meta(
    scheme: &Scheme,
    roster: &Roster,
    meta: &std::collections::HashMap<String, String>,
    rater: Option<usize>,
    fingerprint_of: &dyn Fn(&[usize]) -> String,
) -> Vec<(crate::core::diag::Severity, crate::core::msg::Msg)> {
    use crate::core::diag::Severity;
    use crate::core::msg::Msg;
    let Some(version) = meta.get("template") else { return Vec::new() };
    if version.trim() != TEMPLATE_VERSION {
        return vec![(Severity::Error, Msg::TemplateVersion { found: version.clone() })];
    }
    let listed: Vec<&str> = meta
        .get("indicators")
        .map_or_else(Vec::new, |l| l.split(',').map(str::trim).filter(|c| !c.is_empty()).collect());
    let now = columns_now(scheme, roster, rater);
    let now_codes: Vec<&str> = now.iter().map(|&i| scheme.indicators[i].code.as_str()).collect();
    let mut out = Vec::new();
    for code in &listed {
        if !now_codes.contains(code) {
            out.push((Severity::Error, Msg::TemplateIndicatorRemoved { code: (*code).to_owned() }));
        }
    }
    for code in &now_codes {
        if !listed.contains(code) {
            out.push((Severity::Error, Msg::TemplateIndicatorAdded { code: (*code).to_owned() }));
        }
    }
    if out.is_empty() && meta.get("scheme").is_some_and(|f| *f != fingerprint_of(&now)) {
        out.push((Severity::Warning, Msg::TemplateSchemeChanged));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roster::Subject;

    /// The bundled units scheme (four categories of five units each; 区领导评价 with min_count 1,
    /// 部门互评 5, 服务对象评价 10).
    fn units() -> (Scheme, Roster) {
        let text = include_str!("../../examples/units/scheme.toml");
        let doc = toml::from_str(text).expect("parses");
        let scheme = crate::core::check::check_scheme(&doc, &crate::core::diag::LineIndex::new(text)).scheme.unwrap();
        let cats = ["econ", "social", "admin", "enforce"];
        let subjects = (0..20)
            .map(|k| Subject {
                id: format!("U{:02}", k + 1),
                name: format!("单位{}", k + 1),
                category: Some(cats[k / 5].to_owned()),
                unit: None,
                level: None,
                sanctions: Vec::new(),
                aliases: Vec::new(),
                line: k + 2,
            })
            .collect();
        (scheme, Roster { subjects, ..Roster::default() })
    }

    #[test]
    fn one_workbook_per_rater_and_one_for_data() {
        let (scheme, roster) = units();
        let books = plan(&scheme, &roster, "2026Q1", By::Rater, None);
        let stems: Vec<&str> = books.iter().map(|b| b.stem.as_str()).collect();
        assert_eq!(stems, ["区领导评价_2026Q1", "部门互评_2026Q1", "服务对象评价_2026Q1", "数据指标_2026Q1"]);
        // Category targets differ: a sheet per category, its own five units.
        let leader = &books[0];
        assert_eq!(leader.sheets.len(), 4);
        assert!(leader.sheets.iter().all(|s| s.subjects.len() == 5 && s.repeat == 1));
        // Several evaluators: min_count rows a subject.
        assert!(books[1].sheets.iter().all(|s| s.repeat == 5));
        assert!(books[2].sheets.iter().all(|s| s.repeat == 10));
        // Every rating column is one the rater has weight in; the data book has no rating.
        for (book, r) in books.iter().zip([Some(0), Some(1), Some(2), None]) {
            for sheet in &book.sheets {
                for &i in &sheet.columns {
                    let ind = &scheme.indicators[i];
                    assert!(ind.children.is_empty());
                    match r {
                        Some(r) => assert!(rates(ind, r), "{} {}", book.stem, ind.code),
                        None => assert!(is_data(ind), "{}", ind.code),
                    }
                }
            }
        }
    }

    #[test]
    fn by_unit_a_unit_never_scores_itself() {
        let (scheme, roster) = units();
        let books = plan(&scheme, &roster, "2026Q1", By::Unit, Some(1));
        assert_eq!(books.len(), 20);
        for book in &books {
            let own = roster.subjects.iter().position(|s| s.name == book.evaluator).unwrap();
            let rows: usize = book.sheets.iter().map(|s| s.subjects.len()).sum();
            assert_eq!(rows, 19, "{}", book.stem);
            assert!(book.sheets.iter().all(|s| !s.subjects.contains(&own) && s.repeat == 1));
        }
    }

    #[test]
    fn names_are_safe_for_files_and_sheets() {
        assert_eq!(safe_name("评价/打分:表[一]"), "评价_打分_表_一_");
        assert_eq!(safe_name(&"长".repeat(40)).chars().count(), 31);
    }
}
