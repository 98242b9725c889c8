//! Lints on a checked scheme: warnings, not errors.
//!
//! * SMART — each leaf indicator should be Specific (description or measure), Measurable
//!   (unit and source, or a rating by defined raters), Achievable (a target inside its
//!   scale), Relevant (a goal it serves) and Time-bound (a period or deadline).
//! * Formalism — “不得简单以留痕多少评判工作”: process indicators carrying more than 20% of a
//!   category's points, measures that count paperwork, and one specific indicator carrying
//!   more than half of its track.

use crate::core::diag::Diagnostic;
use crate::core::msg::Msg;
use crate::core::scheme::doc::SchemeDoc;
use crate::core::scheme::{IndicatorKind, Method, Scale, Scheme, Track};
use rust_decimal::Decimal;

/// Words in a measure that reveal counting paperwork rather than results.
pub const PAPERWORK_WORDS: &[&str] =
    &["台账", "材料份数", "报送材料", "会议次数", "开会次数", "发文数量", "留痕", "照片", "签到"];

/// One SMART letter's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Yes,
    No,
    /// The letter does not apply to this method (A for rule items such as veto or bonus).
    NotApplicable,
}

/// The SMART verdicts of one leaf.
#[derive(Debug, Clone)]
pub struct SmartRow {
    pub indicator: usize,
    /// S, M, A, R, T in that order.
    pub marks: [Mark; 5],
}

impl SmartRow {
    /// The missing letters, e.g. "A、R" (zh) or "A, R" (en), or `None` when complete.
    pub fn missing(&self, sep: &str) -> Option<String> {
        let letters: Vec<&str> =
            ["S", "M", "A", "R", "T"].iter().zip(self.marks).filter(|(_, m)| *m == Mark::No).map(|(l, _)| *l).collect();
        (!letters.is_empty()).then(|| letters.join(sep))
    }
}

fn present(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn yes(b: bool) -> Mark {
    if b { Mark::Yes } else { Mark::No }
}

/// SMART verdicts for every leaf, in file order.
pub fn smart(scheme: &Scheme) -> Vec<SmartRow> {
    scheme
        .leaves()
        .map(|i| {
            let ind = &scheme.indicators[i];
            let s = present(&ind.description) || present(&ind.measure);
            let m = (present(&ind.unit) && present(&ind.source))
                || matches!(&ind.method, Some(Method::Rating { raters, .. }) if !raters.is_empty());
            let percent_unit = ind.unit.as_deref().is_some_and(|u| u.contains('%') || u.contains('％'));
            let inside = |t: Decimal, top: Option<Decimal>| t >= Decimal::ZERO && top.is_none_or(|top| t <= top);
            let a = match &ind.method {
                Some(Method::Rating { scale, .. }) => {
                    let top = match scale {
                        Scale::Percent => Some(Decimal::ONE_HUNDRED),
                        Scale::Points => ind.points,
                    };
                    yes(ind.target.is_some_and(|t| inside(t, top)))
                }
                Some(Method::Completion { target, .. } | Method::Efficacy { target, .. }) => {
                    yes(inside(*target, percent_unit.then_some(Decimal::ONE_HUNDRED)))
                }
                Some(Method::Bands { .. }) => {
                    yes(ind.target.is_none_or(|t| inside(t, percent_unit.then_some(Decimal::ONE_HUNDRED))))
                }
                _ => Mark::NotApplicable,
            };
            let r = present(&ind.goal);
            let t = present(&ind.period) || present(&ind.deadline);
            SmartRow { indicator: i, marks: [yes(s), yes(m), a, yes(r), yes(t)] }
        })
        .collect()
}

/// All lint warnings for a checked scheme.
pub fn lint(scheme: &Scheme, doc: &SchemeDoc) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for row in smart(scheme) {
        let ind = &scheme.indicators[row.indicator];
        if let Some(missing) = row.missing("、") {
            let msg = Msg::SmartMissing { code: ind.code.clone(), missing };
            out.push(Diagnostic::warning(msg).at(ind.span.clone()).indicator(&ind.code));
        }
    }
    for (i, ind) in scheme.indicators.iter().enumerate() {
        if let Some(word) = ind.measure.as_deref().and_then(|m| PAPERWORK_WORDS.iter().find(|w| m.contains(**w))) {
            let msg = Msg::Paperwork { code: ind.code.clone(), word: (*word).into() };
            out.push(Diagnostic::warning(msg).at(scheme.indicators[i].span.clone()).indicator(&ind.code));
        }
    }
    let fallback = doc.scheme.span();
    for cat in scheme.category_pools() {
        let cat_name = cat.map_or_else(String::new, |c| scheme.categories[c].name.clone());
        let cat_span = cat.map_or_else(|| fallback.clone(), |c| scheme.categories[c].span.clone());
        let leaves: Vec<usize> = scheme
            .leaves()
            .filter(|&i| scheme.indicators[i].in_base() && scheme.indicators[i].applies_to(cat))
            .collect();
        let points = |i: usize| scheme.indicators[i].points.unwrap_or_default();
        let process: Decimal = leaves
            .iter()
            .filter(|&&i| scheme.indicators[i].kind == Some(IndicatorKind::Process))
            .map(|&i| points(i))
            .sum();
        if process * Decimal::from(5) > scheme.total {
            let msg = Msg::ProcessShare { category: cat_name.clone(), points: process, total: scheme.total };
            out.push(Diagnostic::warning(msg).at(cat_span.clone()));
        }
        let specific: Vec<usize> =
            leaves.iter().copied().filter(|&i| scheme.indicators[i].track == Track::Specific).collect();
        let track_points: Decimal = specific.iter().map(|&i| points(i)).sum();
        for &i in &specific {
            if points(i) * Decimal::TWO > track_points {
                let ind = &scheme.indicators[i];
                let msg = Msg::SpecificDominant {
                    code: ind.code.clone(),
                    category: cat_name.clone(),
                    points: points(i),
                    track_points,
                };
                out.push(Diagnostic::warning(msg).at(ind.span.clone()).indicator(&ind.code));
            }
        }
    }
    out
}
