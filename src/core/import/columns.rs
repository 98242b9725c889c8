//! Column rules of a wide table: what the whole column says about the scale of each value.
//!
//! A single cell cannot tell whether 8.1 under "党建工作(10分)" means 8.1 of 100 or 8.1 of
//! 10, or whether 0.973 under a % indicator means 0.973 % or 97.3 %; the column can.
//! [`plan`] reads every value of each indicator column first and decides, per column:
//! * **out of N**: a rating column whose header declares "(N分)" (N other than the rating's
//!   full scale: 100 for percent ratings, the points for points ratings) and whose values are
//!   all ≤ N was filled out of N: each value becomes value × full ÷ N (8.1 → 81);
//! * **mixed scales**: if some values exceed N, the "(N分)" only shows the indicator's
//!   weight, and a non-zero value ≤ N cannot be placed: refused;
//! * **percent or fraction**: a % indicator whose plain numbers (not formatted or written as
//!   percentages) all lie between 0 and 1, at least one strictly, cannot be read: every
//!   non-zero one is refused, naming both readings.

use crate::core::import::cell::{CellValue, Parsed, is_explicit_percent, parse_raw, percent_means_points};
use crate::core::import::header::WideColumn;
use crate::core::scheme::{Indicator, Method, Scheme};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What the column rule does to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColumnPlan {
    /// (out of N, full scale): plain values are converted value × full ÷ N.
    pub scale: Option<(Decimal, Decimal)>,
    /// Values in (0, N] are refused: the column mixes scales.
    pub ambiguous_up_to: Option<(Decimal, Decimal)>,
    /// Non-zero plain values are refused: percent or fraction cannot be told.
    pub percent_ambiguous: bool,
}

/// The full scale of a rating: 100 for percent ratings, the points for points ratings.
pub fn full_scale(ind: &Indicator) -> Option<Decimal> {
    match &ind.method {
        Some(Method::Rating { .. }) => crate::core::import::cell::allowed_range(ind).1,
        _ => None,
    }
}

/// Decide the rule of every indicator column from all of its cells.
pub fn plan<'r>(
    columns: &[WideColumn],
    rows: impl Iterator<Item = &'r [CellValue]> + Clone,
    scheme: &Scheme,
) -> HashMap<usize, ColumnPlan> {
    let mut plans = HashMap::new();
    for column in columns {
        let WideColumn::Indicator { col, indicator, points, .. } = column else { continue };
        let ind = &scheme.indicators[*indicator];
        let plain: Vec<Decimal> = rows
            .clone()
            .filter_map(|r| r.get(*col))
            .filter(|c| !is_explicit_percent(c))
            .filter_map(|c| match parse_raw(c, ind) {
                Parsed::Value(v) => Some(v),
                _ => None,
            })
            .collect();
        if plain.is_empty() {
            continue;
        }
        let mut p = ColumnPlan::default();
        if let (Some(n), Some(full)) = (points, full_scale(ind))
            && *n > Decimal::ZERO
            && *n != full
        {
            if plain.iter().all(|v| v <= n) {
                p.scale = Some((*n, full));
            } else {
                p.ambiguous_up_to = Some((*n, full));
            }
        }
        if p.scale.is_none()
            && percent_means_points(ind)
            && plain.iter().all(|v| *v >= Decimal::ZERO && *v <= Decimal::ONE)
            && plain.iter().any(|v| *v > Decimal::ZERO && *v < Decimal::ONE)
        {
            p.percent_ambiguous = true;
        }
        if p != ColumnPlan::default() {
            plans.insert(*col, p);
        }
    }
    plans
}

/// How a plain value fares under a column's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Value(Decimal),
    /// value × full ÷ N is not a terminating decimal: it cannot be kept exactly.
    Inexact,
    AmbiguousScale {
        out_of: Decimal,
        full: Decimal,
    },
    AmbiguousPercent,
}

impl ColumnPlan {
    /// Apply the rule to a value read from `cell`.
    pub fn apply(&self, cell: &CellValue, v: Decimal) -> Applied {
        if is_explicit_percent(cell) {
            return Applied::Value(v);
        }
        if self.percent_ambiguous && !v.is_zero() {
            return Applied::AmbiguousPercent;
        }
        if let Some((n, full)) = self.ambiguous_up_to
            && v > Decimal::ZERO
            && v <= n
        {
            return Applied::AmbiguousScale { out_of: n, full };
        }
        if let Some((n, full)) = self.scale {
            let Some(product) = v.checked_mul(full) else { return Applied::Inexact };
            // Exact only if the quotient terminates (100 ÷ 15 does not).
            return match (terminates(product, n), product.checked_div(n)) {
                (true, Some(q)) => Applied::Value(q.normalize()),
                _ => Applied::Inexact,
            };
        }
        Applied::Value(v)
    }
}

/// Whether a ÷ b is a terminating decimal: after cancelling, the denominator has no prime
/// factors but 2 and 5.
fn terminates(a: Decimal, b: Decimal) -> bool {
    fn gcd(mut x: i128, mut y: i128) -> i128 {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x.abs()
    }
    let pow = |s: u32| 10i128.checked_pow(s);
    // a = am / 10^as, b = bm / 10^bs  →  a / b = am · 10^bs / (bm · 10^as)
    let (Some(num), Some(den)) = (
        pow(b.scale()).and_then(|p| a.mantissa().checked_mul(p)),
        pow(a.scale()).and_then(|p| b.mantissa().checked_mul(p)),
    ) else {
        return false;
    };
    if den == 0 {
        return false;
    }
    let mut d = (den / gcd(num, den)).abs();
    for f in [2, 5] {
        while d % f == 0 {
            d /= f;
        }
    }
    d == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn out_of_n_converts_exactly_or_refuses() {
        let p = ColumnPlan { scale: Some((d("10"), d("100"))), ..ColumnPlan::default() };
        assert_eq!(p.apply(&CellValue::Number(8.1), d("8.1")), Applied::Value(d("81")));
        let p = ColumnPlan { scale: Some((d("15"), d("100"))), ..ColumnPlan::default() };
        assert_eq!(p.apply(&CellValue::Number(3.0), d("3")), Applied::Value(d("20")));
        assert_eq!(p.apply(&CellValue::Number(1.0), d("1")), Applied::Inexact);
    }

    #[test]
    fn fractions_in_a_percent_column_are_refused_but_percentages_pass() {
        let p = ColumnPlan { percent_ambiguous: true, ..ColumnPlan::default() };
        assert_eq!(p.apply(&CellValue::Number(0.973), d("0.973")), Applied::AmbiguousPercent);
        assert_eq!(p.apply(&CellValue::Number(0.0), d("0")), Applied::Value(d("0")));
        assert_eq!(p.apply(&CellValue::Percent(0.973), d("97.3")), Applied::Value(d("97.3")));
        assert_eq!(p.apply(&CellValue::Text("97.3%".into()), d("97.3")), Applied::Value(d("97.3")));
    }
}
