//! Adapters between files and the domain core: text decoding, TOML files (schemes and
//! workspaces), rosters, and turning diagnostics into located, printable records.

pub mod ledger;
pub mod located;
pub mod output;
pub mod report;
pub mod roster;
pub mod scheme_file;
pub mod table;
pub mod text;
pub mod toml_file;
pub mod workspace;
pub mod xls_extra;
pub mod xlsx_extra;

/// CSV injection guard (OWASP): a text cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe, so a spreadsheet shows it as text and never runs it as a
/// formula. Numeric columns are written as they are. [`csv_unsafe`] undoes it when perf reads
/// its own ledger back.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(s) { format!("'{s}").into() } else { s.into() }
}

/// Starts with a formula character, possibly behind apostrophes (so that a text that really
/// begins with an apostrophe still reads back unchanged).
fn needs_guard(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) || s.strip_prefix('\'').is_some_and(needs_guard)
}

/// A cell of a CSV output: a number as it is (a spreadsheet reads `-0.5` as a number, never
/// as a formula), any other text through [`csv_safe`].
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.parse::<rust_decimal::Decimal>().is_ok() { s.into() } else { csv_safe(s) }
}

/// The inverse of [`csv_safe`].
pub fn csv_unsafe(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_stay_numbers_and_ids_are_defused() {
        assert_eq!(csv_cell("-0.5"), "-0.5");
        assert_eq!(csv_cell("+3"), "+3");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
    }

    #[test]
    fn formula_like_text_is_defused() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("区财政局"), "区财政局");
        assert_eq!(csv_unsafe("'=1+1"), "=1+1");
        assert_eq!(csv_unsafe("'abc"), "'abc");
        assert_eq!(csv_unsafe(&csv_safe("'=x")), "'=x");
    }

    proptest! {
        #[test]
        fn safe_then_unsafe_is_the_identity(s in ".*") {
            let safe = csv_safe(&s);
            prop_assert_eq!(csv_unsafe(&safe), s.as_str());
        }
    }
}
