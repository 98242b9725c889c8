//! One cell as read from a file, and what it means for an indicator.
//!
//! Clerks' sheets hold full-width digits (９５．５), "95%", "85分", thousands separators,
//! numbers stored as text, dashes for "no value", ticks and crosses for yes/no, and Excel
//! error cells. [`parse_value`] turns each into a decimal value, a missing value (never
//! zero) or a located reason for rejecting it.

use crate::core::scheme::{Indicator, Method, Scale};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A cell's content as the reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    /// A spreadsheet number cell.
    Number(f64),
    /// A spreadsheet number cell formatted as a percentage: 0.973 shown as 97.3%.
    Percent(f64),
    /// A formula cell whose result was never saved (written by a program, not by Excel).
    Unsaved,
    Bool(bool),
    /// An Excel error cell, e.g. `#N/A`.
    Error(String),
    /// A date or time cell, as text.
    Date(String),
}

impl CellValue {
    /// The cell as text people would see (for headers, ids and the issues file).
    pub fn display(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) | CellValue::Error(s) | CellValue::Date(s) => s.clone(),
            CellValue::Number(f) => number_to_decimal(*f).map_or_else(|| f.to_string(), |d| d.normalize().to_string()),
            CellValue::Percent(f) => match number_to_decimal(*f) {
                Some(d) => format!("{}%", (d * Decimal::ONE_HUNDRED).normalize()),
                None => f.to_string(),
            },
            CellValue::Unsaved => String::new(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        }
    }

    /// [`CellValue::display`], borrowed where the cell holds its text (no copy per cell).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            CellValue::Text(s) | CellValue::Error(s) | CellValue::Date(s) => std::borrow::Cow::Borrowed(s),
            _ => std::borrow::Cow::Owned(self.display()),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A spreadsheet float as the decimal Excel displays: 15 significant digits, so stored
/// binary noise (0.15417100000000003) does not leak into scores.
pub fn number_to_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // The usual cell (86.6, 95, 0.973): the decimal m·10^-k with at most 15 digits whose
    // nearest double is f. A double is closer to it than to any other 15-digit decimal, so it
    // is exactly what the 15-significant-digit rounding below gives — without formatting.
    for k in 0..=6 {
        let scale = 10f64.powi(k);
        let m = (f * scale).round();
        if m.abs() >= 1e15 {
            break;
        }
        // 10^k is exact and the division correctly rounded: equal means float(m·10^-k) = f.
        if m / scale == f {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            return Some(Decimal::new(m as i64, k as u32).normalize());
        }
    }
    let s = format!("{f:.14e}");
    Decimal::from_scientific(&s).ok().map(|d| d.normalize())
}

/// The 15-significant-digit reading without the shortcut (for the property test).
#[cfg(test)]
fn number_to_decimal_slow(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{f:.14e}")).ok().map(|d| d.normalize())
}

/// Fold full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their ASCII forms,
/// plus the Chinese full stop used as a decimal point in numbers, and trim.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            '。' => '.',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Texts that mean "no value" (never zero).
const MISSING: &[&str] =
    &["", "-", "--", "—", "——", "–", "/", "\\", "无", "n/a", "na", "null", "none", "空", "缺", "暂无"];

/// Whether a cell says the unit was not rated here (本单位不评, 回避): no value at all, not
/// even a missing one.
pub fn is_not_rated(s: &str) -> bool {
    s.contains("不评") || s.contains("回避")
}

/// Whether a text means "no value" (blank, a dash, 无 …).
pub fn is_missing_text(s: &str) -> bool {
    MISSING.contains(&fold_width(s).to_lowercase().as_str())
}

/// Texts that are Excel error values when typed or exported as text.
const EXCEL_ERRORS: &[&str] =
    &["#n/a", "#div/0!", "#ref!", "#value!", "#name?", "#num!", "#null!", "#getting_data", "#spill!", "#calc!"];

const TRUE_WORDS: &[&str] = &["是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "对", "完成", "已完成", "达标"];
const FALSE_WORDS: &[&str] = &["否", "无", "×", "✗", "✘", "x", "n", "no", "false", "0", "未完成", "不达标", "没有"];

/// Why a cell was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadCell {
    /// An Excel error value such as `#DIV/0!`.
    ExcelError(String),
    /// Not a number (after normalisation).
    NotNumber,
    /// Not a yes/no value for a boolean or veto item.
    NotBoolean,
    /// A date where a number is expected.
    Date,
    /// The text held bytes that were not valid in the file's encoding (U+FFFD).
    Undecodable,
    /// Outside the indicator's allowed range.
    OutOfRange { min: Option<Decimal>, max: Option<Decimal> },
    /// A formula whose result was never saved.
    Unsaved,
}

/// What a cell means for an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Missing,
    Value(Decimal),
    Bad(BadCell),
}

/// Whether the indicator's values are yes/no.
pub fn is_yes_no(ind: &Indicator) -> bool {
    matches!(ind.method, Some(Method::Boolean | Method::Veto { .. }))
}

/// Whether the indicator is measured in percent (a % unit or a percent-scale rating): "95%"
/// means 95 for it, not 0.95.
pub fn percent_means_points(ind: &Indicator) -> bool {
    ind.unit.as_deref().is_some_and(|u| u.contains('%'))
        || matches!(ind.method, Some(Method::Rating { scale: Scale::Percent, .. }))
}

/// The allowed range of an indicator's raw values: (min, max), inclusive.
pub fn allowed_range(ind: &Indicator) -> (Option<Decimal>, Option<Decimal>) {
    match &ind.method {
        Some(Method::Rating { scale: Scale::Percent, .. }) => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
        Some(Method::Rating { scale: Scale::Points, .. }) => (Some(Decimal::ZERO), ind.points),
        Some(Method::Boolean | Method::Veto { .. }) => (Some(Decimal::ZERO), Some(Decimal::ONE)),
        Some(Method::Deduction { .. } | Method::Bonus { .. } | Method::Completion { .. }) => {
            (Some(Decimal::ZERO), None)
        }
        _ => (None, None),
    }
}

/// Parse a cell for `ind`.
pub fn parse_value(cell: &CellValue, ind: &Indicator) -> Parsed {
    match parse_raw(cell, ind) {
        Parsed::Value(v) => check_range(v, ind),
        other => other,
    }
}

/// Whether the sender wrote the cell as a percentage: a percent-formatted number or a
/// text with "%".
pub fn is_explicit_percent(cell: &CellValue) -> bool {
    match cell {
        CellValue::Percent(_) => true,
        CellValue::Text(t) => t.contains(['%', '％']),
        _ => false,
    }
}

/// Parse a cell for `ind` without checking the indicator's range (for values a column
/// rule converts first).
pub fn parse_raw(cell: &CellValue, ind: &Indicator) -> Parsed {
    match cell {
        CellValue::Empty => Parsed::Missing,
        CellValue::Error(e) => Parsed::Bad(BadCell::ExcelError(e.clone())),
        CellValue::Date(_) => Parsed::Bad(BadCell::Date),
        CellValue::Bool(b) => Parsed::Value(if *b { Decimal::ONE } else { Decimal::ZERO }),
        CellValue::Unsaved => Parsed::Bad(BadCell::Unsaved),
        CellValue::Number(f) => match number_to_decimal(*f) {
            Some(d) => Parsed::Value(d),
            None => Parsed::Bad(BadCell::NotNumber),
        },
        // Shown as 97.3%: the sender meant 97.3 where the indicator is measured in %, and
        // the fraction 0.973 elsewhere (as a typed "97.3%" is read).
        CellValue::Percent(f) => match number_to_decimal(*f) {
            Some(d) if percent_means_points(ind) => Parsed::Value(d * Decimal::ONE_HUNDRED),
            Some(d) => Parsed::Value(d),
            None => Parsed::Bad(BadCell::NotNumber),
        },
        CellValue::Text(s) => parse_text(s, ind),
    }
}

/// The largest magnitude a value may have (10^15): far beyond any score, count or amount
/// in yuan an office records, and small enough that sums over millions of rows stay exact.
pub const VALUE_LIMIT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Check a value against the indicator's allowed range (and yes/no values).
pub fn check_range(v: Decimal, ind: &Indicator) -> Parsed {
    if v.abs() >= VALUE_LIMIT {
        return Parsed::Bad(BadCell::OutOfRange { min: Some(-VALUE_LIMIT), max: Some(VALUE_LIMIT) });
    }
    let (min, max) = allowed_range(ind);
    if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
        return Parsed::Bad(BadCell::OutOfRange { min, max });
    }
    if is_yes_no(ind) && v != Decimal::ZERO && v != Decimal::ONE {
        return Parsed::Bad(BadCell::NotBoolean);
    }
    Parsed::Value(v.normalize())
}

/// Plain decimal digits (an optional leading minus, at most one point): what nearly every
/// cell of a long table holds, and what the full reading below would give unchanged.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
}

fn parse_text(raw: &str, ind: &Indicator) -> Parsed {
    if is_plain_number(raw)
        && let Ok(d) = Decimal::from_str(raw)
    {
        return Parsed::Value(d);
    }
    if raw.contains('\u{FFFD}') {
        return Parsed::Bad(BadCell::Undecodable);
    }
    let s = fold_width(raw);
    let lower = s.to_lowercase();
    if EXCEL_ERRORS.contains(&lower.as_str()) {
        return Parsed::Bad(BadCell::ExcelError(s));
    }
    if is_yes_no(ind) {
        if TRUE_WORDS.contains(&lower.as_str()) {
            return Parsed::Value(Decimal::ONE);
        }
        if FALSE_WORDS.contains(&lower.as_str()) {
            return Parsed::Value(Decimal::ZERO);
        }
    }
    if MISSING.contains(&lower.as_str()) {
        return Parsed::Missing;
    }
    match parse_number(&s, ind) {
        Some(d) => Parsed::Value(d),
        None if is_yes_no(ind) => Parsed::Bad(BadCell::NotBoolean),
        None => Parsed::Bad(BadCell::NotNumber),
    }
}

/// A number typed as text: spaces and thousands separators dropped, a trailing "分" or the
/// indicator's unit dropped, "95%" read by the indicator's unit.
pub fn parse_number(s: &str, ind: &Indicator) -> Option<Decimal> {
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut percent = false;
    if let Some(rest) = t.strip_suffix('%') {
        t = rest.to_owned();
        percent = true;
    } else if let Some(unit) = ind.unit.as_deref().filter(|u| !u.is_empty() && *u != "%")
        && let Some(rest) = t.strip_suffix(unit)
    {
        t = rest.to_owned();
    }
    if let Some(rest) = t.strip_suffix('分') {
        t = rest.to_owned();
    }
    if valid_thousands(&t) {
        t.retain(|c| c != ',');
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("nan") || lower.contains("inf") {
        return None;
    }
    let d = if lower.contains('e') { Decimal::from_scientific(&lower).ok()? } else { Decimal::from_str(&t).ok()? };
    Some(if percent && !percent_means_points(ind) { d / Decimal::ONE_HUNDRED } else { d })
}

/// "1,234.5" style: commas only between groups of three digits before the point (a comma
/// after the point, as in "1.234,5" or "9.5,5", makes the text not a number).
fn valid_thousands(t: &str) -> bool {
    if !t.contains(',') {
        return false;
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.contains(',') {
        return false;
    }
    let int = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scheme::{Direction, Track};

    fn ind(method: Method, unit: Option<&str>, points: i64) -> Indicator {
        Indicator {
            code: "X".into(),
            name: "x".into(),
            parent: None,
            children: vec![],
            track: Track::Common,
            categories: None,
            points: Some(Decimal::from(points)),
            method: Some(method),
            unit: unit.map(str::to_owned),
            target: None,
            kind: None,
            description: None,
            measure: None,
            source: None,
            goal: None,
            deadline: None,
            period: None,
            span: 0..0,
        }
    }

    fn rating() -> Indicator {
        ind(Method::Rating { scale: Scale::Percent, raters: vec![] }, None, 10)
    }

    fn completion() -> Indicator {
        ind(
            Method::Completion { direction: Direction::Higher, target: Decimal::ONE_HUNDRED, cap: Decimal::ONE },
            Some("%"),
            10,
        )
    }

    fn v(s: &str) -> Parsed {
        Parsed::Value(Decimal::from_str(s).unwrap())
    }

    proptest::proptest! {
        /// The shortcut for cell numbers gives exactly the 15-digit reading.
        #[test]
        fn cell_numbers_read_as_the_fifteen_digit_rounding(
            m in -2_000_000_000i64..2_000_000_000,
            k in 0i32..8,
            bits in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
        ) {
            let typed = m as f64 / 10f64.powi(k);
            proptest::prop_assert_eq!(number_to_decimal(typed), number_to_decimal_slow(typed));
            proptest::prop_assert_eq!(number_to_decimal(bits), number_to_decimal_slow(bits));
            proptest::prop_assert_eq!(number_to_decimal(typed * 3.0), number_to_decimal_slow(typed * 3.0));
        }

        /// The shortcut for plain numbers gives what the full reading gives.
        #[test]
        fn plain_numbers_read_as_the_full_path_reads_them(s in "-?[0-9]{0,30}(\\.[0-9]{0,30})?") {
            for ind in [completion(), rating()] {
                let full = parse_number(&fold_width(&s), &ind).map_or(Parsed::Bad(BadCell::NotNumber), Parsed::Value);
                if is_plain_number(&s) {
                    proptest::prop_assert_eq!(parse_text(&s, &ind), full);
                }
            }
        }
    }

    #[test]
    fn the_value_limit_is_ten_to_the_fifteenth() {
        assert_eq!(VALUE_LIMIT, Decimal::from(1_000_000_000_000_000i64));
        assert_eq!(
            check_range(Decimal::from(1_000_000_000_000_000i64), &completion()),
            Parsed::Bad(BadCell::OutOfRange { min: Some(-VALUE_LIMIT), max: Some(VALUE_LIMIT) })
        );
        assert!(matches!(check_range(Decimal::from(999_999_999_999_999i64), &completion()), Parsed::Value(_)));
    }

    #[test]
    fn full_width_percent_and_points_suffix() {
        assert_eq!(parse_value(&CellValue::Text("９５．５".into()), &rating()), v("95.5"));
        assert_eq!(parse_value(&CellValue::Text(" 95% ".into()), &rating()), v("95"));
        assert_eq!(parse_value(&CellValue::Text("95％".into()), &completion()), v("95"));
        assert_eq!(parse_value(&CellValue::Text("85分".into()), &rating()), v("85"));
        let count = ind(Method::Bands { bands: vec![], interpolate: false }, Some("个"), 10);
        assert_eq!(parse_value(&CellValue::Text("1,234个".into()), &count), v("1234"));
        assert_eq!(parse_value(&CellValue::Text("12%".into()), &count), v("0.12"));
    }

    #[test]
    fn commas_after_the_point_are_not_numbers() {
        for s in ["1.234,5", "9.5,5", "1,2", "12,34.5"] {
            assert_eq!(parse_value(&CellValue::Text(s.into()), &completion()), Parsed::Bad(BadCell::NotNumber), "{s}");
        }
        assert_eq!(parse_value(&CellValue::Text("1,234.5".into()), &completion()), v("1234.5"));
    }

    #[test]
    fn percent_formatted_cells_read_as_shown() {
        assert_eq!(parse_value(&CellValue::Percent(0.973), &completion()), v("97.3"));
        assert_eq!(parse_value(&CellValue::Percent(0.973), &rating()), v("97.3"));
        let count = ind(Method::Bands { bands: vec![], interpolate: false }, Some("个"), 10);
        assert_eq!(parse_value(&CellValue::Percent(0.12), &count), v("0.12"));
        assert_eq!(CellValue::Percent(0.973).display(), "97.3%");
        assert_eq!(parse_value(&CellValue::Unsaved, &completion()), Parsed::Bad(BadCell::Unsaved));
    }

    #[test]
    fn missing_is_never_zero_and_errors_are_errors() {
        for m in ["", "—", "-", "/", "无", "N/A", "  "] {
            assert_eq!(parse_value(&CellValue::Text(m.into()), &rating()), Parsed::Missing, "{m}");
        }
        assert_eq!(
            parse_value(&CellValue::Text("#DIV/0!".into()), &rating()),
            Parsed::Bad(BadCell::ExcelError("#DIV/0!".into()))
        );
        assert_eq!(
            parse_value(&CellValue::Error("#N/A".into()), &rating()),
            Parsed::Bad(BadCell::ExcelError("#N/A".into()))
        );
        assert_eq!(parse_value(&CellValue::Text("优".into()), &rating()), Parsed::Bad(BadCell::NotNumber));
        assert_eq!(parse_value(&CellValue::Text("NaN".into()), &rating()), Parsed::Bad(BadCell::NotNumber));
        assert_eq!(parse_value(&CellValue::Text("1e308".into()), &completion()), Parsed::Bad(BadCell::NotNumber));
    }

    #[test]
    fn yes_no_words() {
        let b = ind(Method::Boolean, None, 5);
        for (s, want) in [
            ("是", "1"),
            ("否", "0"),
            ("√", "1"),
            ("×", "0"),
            ("Y", "1"),
            ("n", "0"),
            ("有", "1"),
            ("无", "0"),
            ("1", "1"),
        ] {
            assert_eq!(parse_value(&CellValue::Text(s.into()), &b), v(want), "{s}");
        }
        assert_eq!(
            parse_value(&CellValue::Text("2".into()), &b),
            Parsed::Bad(BadCell::OutOfRange { min: Some(Decimal::ZERO), max: Some(Decimal::ONE) })
        );
        assert_eq!(parse_value(&CellValue::Text("0.5".into()), &b), Parsed::Bad(BadCell::NotBoolean));
    }

    #[test]
    fn floats_use_fifteen_significant_digits() {
        assert_eq!(parse_value(&CellValue::Number(0.1 + 0.2), &completion()), v("0.3"));
        assert_eq!(parse_value(&CellValue::Number(7.000_000_000_000_001), &completion()), v("7"));
        assert_eq!(
            parse_value(&CellValue::Number(101.0), &rating()),
            Parsed::Bad(BadCell::OutOfRange { min: Some(Decimal::ZERO), max: Some(Decimal::ONE_HUNDRED) })
        );
    }
}
