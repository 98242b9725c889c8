//! Corrections (复核): a review or appeal result recorded with its reason, who approved it and
//! when, applied on top of the inputs with the original kept. A correction changes one value
//! (a data indicator's value, or one evaluator's rating) or sets a subject's grade. Every
//! correction is shown wherever the result is (explain, report, annual); one that would move
//! another person across a quota line is left for a decision.

use rust_decimal::Decimal;

/// What a correction changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The value of an entry: (indicator code, rater id, evaluator) → value.
    Value { indicator: String, rater: String, evaluator: String, value: Decimal },
    /// The subject's grade (a level index).
    Grade(usize),
}

/// One approved correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// 1-based line in the corrections file.
    pub line: usize,
    /// Subject id (as in the roster).
    pub subject: String,
    /// Canonical period (2026Q1, or the year for an annual grade).
    pub period: String,
    pub change: Change,
    pub reason: String,
    pub approved_by: String,
    pub date: String,
}

impl Correction {
    /// Whether an entry is the one this correction changes: same period, subject and
    /// indicator; the rater and evaluator too where the correction names them.
    pub fn matches(&self, period: &str, subject: &str, indicator: &str, rater: &str, evaluator: &str) -> bool {
        match &self.change {
            Change::Value { indicator: i, rater: r, evaluator: e, .. } => {
                self.period == period
                    && self.subject == subject
                    && i == indicator
                    && (r.is_empty() || r == rater)
                    && (e.is_empty() || e == evaluator)
            }
            Change::Grade(_) => false,
        }
    }

    /// "理由（批准人，日期）".
    pub fn audit(&self) -> String {
        format!("{}（{}，{}）", self.reason, self.approved_by, self.date)
    }
}

/// A correction as applied: which entry it changed and what the value was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Index into the corrections.
    pub correction: usize,
    /// The value before (None: the correction supplied a missing value).
    pub original: Option<Decimal>,
    /// Where the original value came from.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(rater: &str, evaluator: &str) -> Correction {
        Correction {
            line: 2,
            subject: "U01".into(),
            period: "2026Q1".into(),
            change: Change::Value {
                indicator: "G3.2".into(),
                rater: rater.into(),
                evaluator: evaluator.into(),
                value: Decimal::from(90),
            },
            reason: "复核".into(),
            approved_by: "考核办".into(),
            date: "2026-04-20".into(),
        }
    }

    #[test]
    fn a_correction_matches_only_its_entry() {
        let c = value("public", "R3");
        assert!(c.matches("2026Q1", "U01", "G3.2", "public", "R3"));
        assert!(!c.matches("2026Q1", "U01", "G3.2", "public", "R4"));
        assert!(!c.matches("2026Q2", "U01", "G3.2", "public", "R3"));
        assert!(!c.matches("2026Q1", "U02", "G3.2", "public", "R3"));
        // A data indicator: no rater, no evaluator.
        assert!(value("", "").matches("2026Q1", "U01", "G3.2", "", ""));
        assert_eq!(value("", "").audit(), "复核（考核办，2026-04-20）");
    }
}
